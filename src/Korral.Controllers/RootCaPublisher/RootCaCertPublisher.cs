using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;
using CoreConfigMap = Korral.Api.Models.CoreV1.ConfigMap;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;

namespace Korral.Controllers.RootCaPublisher;

/// <summary>
/// Upstream's root-ca-cert-publisher: keeps the ConfigMap <c>kube-root-ca.crt</c> (key <c>ca.crt</c>: the cluster CA
/// bundle) in every namespace that is not terminating. It is created when a namespace appears, again when deleted, and
/// its data and description annotation are put back when edited (other fields, such as labels, are kept). Pods'
/// projected kube-api-access volumes read it. Driven by a namespace informer and a ConfigMap informer that watches only
/// objects of that name; without a CA bundle (<see cref="ControllerManagerOptions.RootCaPem"/> null) it does nothing.
/// </summary>
public sealed class RootCaCertPublisher : IController
{
    public const string ControllerName = "root-ca-cert-publisher";

    /// <summary>The ConfigMap published in every namespace.</summary>
    public const string ConfigMapName = "kube-root-ca.crt";

    /// <summary>The data key holding the PEM bundle.</summary>
    public const string DataKey = "ca.crt";

    public const string DescriptionAnnotation = "kubernetes.io/description";

    /// <summary>Upstream's text for <see cref="DescriptionAnnotation"/>, word for word (clients show it).</summary>
    public const string Description =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal " +
        "service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly ControllerContext _context;
    private readonly string? _rootCa;
    private readonly SharedInformer<CoreNamespace>? _namespaces;
    private readonly SharedInformer<CoreConfigMap>? _configMaps;
    private readonly RateLimitingQueue<string> _queue;

    /// <param name="rootCa">The PEM bundle to publish; null: <see cref="ControllerManagerOptions.RootCaPem"/>.</param>
    public RootCaCertPublisher(ControllerContext context, string? rootCa = null)
    {
        _context = context;
        _rootCa = rootCa ?? context.Options.RootCaPem;
        _queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        if (_rootCa is null)
        {
            // No informers either: a disabled publisher should not cost a watch.
            return;
        }

        _namespaces = context.Informers.Informer<CoreNamespace>();
        var configMaps = context.Client.Resource<CoreConfigMap>().Resource;
        _configMaps = context.Informers.Informer<CoreConfigMap>(configMaps, new InformerOptions
        {
            FieldSelector = $"metadata.name={ConfigMapName}",
            Log = context.Log,
            Time = context.Time,
        });
        _namespaces.AddEventHandler(
            onAdd: ns => Enqueue(ns.Metadata?.Name),
            onUpdate: (_, ns) =>
            {
                // Only an Active namespace can need a (re)create; a terminating one refuses it anyway.
                if (IsActive(ns))
                {
                    Enqueue(ns.Metadata?.Name);
                }
            });
        _configMaps.AddEventHandler(
            onUpdate: (_, cm) => EnqueueOwner(cm),
            onDelete: EnqueueOwner);
    }

    public string Name => ControllerName;

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        if (_namespaces is null || _configMaps is null)
        {
            _context.Log($"controller {ControllerName}: no root CA bundle configured; not publishing {ConfigMapName}");
            _queue.ShutDown();
            return;
        }

        try
        {
            await _namespaces.WaitForSyncAsync(cancellationToken);
            await _configMaps.WaitForSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _queue.ShutDown();
            return;
        }

        await QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);
    }

    /// <summary>Makes <c>kube-root-ca.crt</c> in <paramref name="ns"/> exist and carry the bundle and the description.</summary>
    public async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        if (_rootCa is null || _namespaces is null || _configMaps is null)
        {
            return;
        }

        var found = _namespaces.Lister.Get(null, ns);
        if (found is null || !IsActive(found))
        {
            return;
        }

        var configMaps = _context.Client.Resource<CoreConfigMap>();
        var existing = _configMaps.Lister.Get(ns, ConfigMapName);
        if (existing is null)
        {
            try
            {
                await configMaps.CreateAsync(new CoreConfigMap
                {
                    Metadata = new ObjectMeta
                    {
                        Name = ConfigMapName,
                        Namespace = ns,
                        Annotations = new Dictionary<string, string> { [DescriptionAnnotation] = Description },
                    },
                    Data = new Dictionary<string, string> { [DataKey] = _rootCa },
                }, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound || e.IsForbidden)
            {
                // The namespace is gone or terminating: nothing to publish, nothing to retry.
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                // Our cache is behind the server; the watch event that follows brings it back here if it needs fixing.
            }

            return;
        }

        if (IsCurrent(existing, _rootCa))
        {
            return;
        }

        // As upstream: the data becomes exactly the bundle, the description is set; everything else stays.
        var copy = KubeObject.Clone(existing);
        copy.Data = new Dictionary<string, string> { [DataKey] = _rootCa };
        copy.Metadata ??= new ObjectMeta();
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        copy.Metadata.Annotations[DescriptionAnnotation] = Description;
        try
        {
            await configMaps.UpdateAsync(copy, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted meanwhile: its delete event requeues the namespace for a create.
        }
    }

    /// <summary>
    /// Upstream's test: the data is exactly the bundle and a description is present (a description edited to other
    /// text is left alone; a removed one is put back).
    /// </summary>
    private static bool IsCurrent(CoreConfigMap cm, string rootCa) =>
        cm.Data is { Count: 1 } data && data.TryGetValue(DataKey, out var ca) && ca == rootCa &&
        cm.Metadata?.Annotations?.TryGetValue(DescriptionAnnotation, out var description) == true && description.Length > 0;

    private static bool IsActive(CoreNamespace ns) =>
        ns.Metadata?.DeletionTimestamp is null && (ns.Status?.Phase is null || ns.Status.Phase == "Active");

    private void EnqueueOwner(CoreConfigMap cm)
    {
        if (cm.Metadata?.Name == ConfigMapName)
        {
            Enqueue(cm.Metadata.Namespace);
        }
    }

    private void Enqueue(string? ns)
    {
        if (!string.IsNullOrEmpty(ns))
        {
            _queue.Add(ns);
        }
    }
}
