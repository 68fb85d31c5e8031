using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;
using CoreServiceAccount = Korral.Api.Models.CoreV1.ServiceAccount;

namespace Korral.Controllers.ServiceAccount;

/// <summary>
/// Keeps the <c>default</c> ServiceAccount in every Active namespace: creates it in new namespaces and again when it is
/// deleted. Namespaces being deleted are left alone (the server refuses creates in them anyway).
/// </summary>
public sealed class ServiceAccountController : IController
{
    public const string ControllerName = "serviceaccount";

    private readonly ControllerContext _context;
    private readonly SharedInformer<CoreNamespace> _namespaces;
    private readonly SharedInformer<CoreServiceAccount> _accounts;
    private readonly RateLimitingQueue<string> _queue;

    public ServiceAccountController(ControllerContext context, IReadOnlyList<string>? accounts = null)
    {
        _context = context;
        Accounts = accounts ?? ["default"];
        _queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        _namespaces = context.Informers.Informer<CoreNamespace>();
        _accounts = context.Informers.Informer<CoreServiceAccount>();
        _namespaces.AddEventHandler(
            onAdd: ns => Enqueue(ns.Metadata?.Name),
            onUpdate: (_, ns) => Enqueue(ns.Metadata?.Name));
        _accounts.AddEventHandler(onDelete: sa =>
        {
            if (Accounts.Contains(sa.Metadata?.Name ?? ""))
            {
                Enqueue(sa.Metadata?.Namespace);
            }
        });
    }

    public string Name => ControllerName;

    /// <summary>The accounts every namespace gets (upstream: just "default").</summary>
    public IReadOnlyList<string> Accounts { get; }

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            await _namespaces.WaitForSyncAsync(cancellationToken);
            await _accounts.WaitForSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _queue.ShutDown();
            return;
        }

        await QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);
    }

    private void Enqueue(string? ns)
    {
        if (!string.IsNullOrEmpty(ns))
        {
            _queue.Add(ns);
        }
    }

    public async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        var found = _namespaces.Lister.Get(null, ns);
        if (found is null || found.Metadata?.DeletionTimestamp is not null ||
            (found.Status?.Phase is { } phase && phase != "Active"))
        {
            return;
        }

        foreach (var name in Accounts)
        {
            if (_accounts.Lister.Get(ns, name) is not null)
            {
                continue;
            }

            try
            {
                await _context.Client.Resource<CoreServiceAccount>().CreateAsync(
                    new CoreServiceAccount { Metadata = new ObjectMeta { Name = name, Namespace = ns } }, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists || e.IsNotFound || e.IsForbidden)
            {
                // there already (a cache behind the server), or the namespace is gone or terminating
            }
        }
    }
}
