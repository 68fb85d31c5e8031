using Korral.Api.Models;
using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.GarbageCollector;
using Korral.Controllers.Manager;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;
using NamespaceCondition = Korral.Api.Models.CoreV1.NamespaceCondition;

namespace Korral.Controllers.Namespace;

/// <summary>
/// Empties deleted namespaces: for a namespace with a deletionTimestamp and the <c>kubernetes</c> finalizer in
/// spec.finalizers, deletes every namespaced object in it (every namespaced, stored, deletable resource of the
/// catalog, by deletecollection where the resource allows it), checks again after a delay until nothing is left, then
/// clears the finalizer through the finalize subresource and the server removes the namespace.
/// </summary>
/// <remarks>
/// Objects kept by finalizers (the garbage collector's <c>orphan</c>/<c>foregroundDeletion</c>, or anyone's) keep the
/// namespace Terminating until their finalizers are removed, as upstream. While content remains the status carries the
/// upstream conditions NamespaceContentRemaining, NamespaceFinalizersRemaining and NamespaceDeletionContentFailure.
/// Custom resources are not covered: the catalog holds built-in resources only.
/// </remarks>
public sealed class NamespaceController : IController
{
    public const string ControllerName = "namespace";

    /// <summary>The finalizer in spec.finalizers that this controller owns.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    private readonly ControllerContext _context;
    private readonly SharedInformer<CoreNamespace> _namespaces;
    private readonly IReadOnlyList<ResourceInfo> _content;
    private readonly RateLimitingQueue<string> _queue;

    public NamespaceController(ControllerContext context, IResourceCatalog? catalog = null)
    {
        _context = context;
        _content = GcResources.NamespacedContent(catalog ?? BuiltinResources.Instance);
        // Upstream's namespace queue: per item 5 ms doubling up to 60 s on failures.
        _queue = new RateLimitingQueue<string>(new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(60)),
            context.Time);
        _namespaces = context.Informers.Informer<CoreNamespace>();
        _namespaces.AddEventHandler(
            onAdd: ns => EnqueueIfDeleting(ns),
            onUpdate: (_, ns) => EnqueueIfDeleting(ns));
    }

    public string Name => ControllerName;

    /// <summary>The least wait before looking again at a namespace whose content is still going away.</summary>
    public TimeSpan MinRecheckDelay { get; init; } = TimeSpan.FromSeconds(1);

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            await _namespaces.WaitForSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _queue.ShutDown();
            return;
        }

        await QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);
    }

    private void EnqueueIfDeleting(CoreNamespace ns)
    {
        if (ns.Metadata?.DeletionTimestamp is not null && ns.Metadata.Name is { } name)
        {
            _queue.Add(name);
        }
    }

    public async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var namespaces = _context.Client.Resource<CoreNamespace>();
        var ns = await namespaces.TryGetAsync(null, name, cancellationToken);
        if (ns?.Metadata?.DeletionTimestamp is null || ns.Spec?.Finalizers?.Contains(KubernetesFinalizer) != true)
        {
            return;
        }

        var result = await DeleteContentAsync(name, cancellationToken);
        if (result.Failures.Count > 0 || result.Remaining.Count > 0)
        {
            await UpdateConditionsAsync(ns, result, cancellationToken);
            if (result.Failures.Count > 0)
            {
                throw new InvalidOperationException($"namespace {name}: deleting content failed: {string.Join("; ", result.Failures)}");
            }

            // Pods go after their grace period: look again after about half of it, at least MinRecheckDelay.
            var delay = TimeSpan.FromSeconds(result.GraceEstimateSeconds / 2.0) + MinRecheckDelay;
            _context.Log($"namespace {name}: waiting for {string.Join(", ", result.Remaining.Select(r => $"{r.Value} {r.Key}"))}; again in {delay.TotalSeconds:F1} s");
            _queue.AddAfter(name, delay);
            return;
        }

        // Empty: clear our finalizer; the server deletes the namespace when spec.finalizers is empty.
        ns.Spec!.Finalizers = [.. ns.Spec.Finalizers!.Where(f => f != KubernetesFinalizer)];
        try
        {
            await namespaces.UpdateSubresourceAsync<CoreNamespace, CoreNamespace>(null, name, "finalize", ns, cancellationToken);
            _context.Log($"namespace {name}: empty, finalized");
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    private async Task<ContentResult> DeleteContentAsync(string ns, CancellationToken cancellationToken)
    {
        var result = new ContentResult();
        var background = new DeleteOptions { PropagationPolicy = GcNames.Background };
        foreach (var resource in _content)
        {
            var client = PartialObject.Client(_context.Client, resource);
            try
            {
                if (resource.Supports("deletecollection"))
                {
                    await client.DeleteCollectionAsync(ns, null, background, cancellationToken);
                }

                var items = (await client.ListAllAsync(ns, null, 500, cancellationToken)).Items ?? [];
                foreach (var item in items)
                {
                    if (item.Metadata is not { } meta)
                    {
                        continue;
                    }

                    if (meta.DeletionTimestamp is null)
                    {
                        // Not deletable as a collection, or created meanwhile: one by one.
                        await client.DeleteAsync(ns, meta.Name!, background, cancellationToken);
                    }

                    result.Count(resource.QualifiedName);
                    if (meta.Finalizers is { Count: > 0 } finalizers)
                    {
                        foreach (var f in finalizers)
                        {
                            result.Finalizers.Add(f);
                        }
                    }

                    if (meta.DeletionGracePeriodSeconds is { } grace && grace > result.GraceEstimateSeconds)
                    {
                        result.GraceEstimateSeconds = grace;
                    }
                }
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // the object went away between list and delete
            }
            catch (KubeApiException e)
            {
                result.Failures.Add($"{resource.QualifiedName}: {e.Message}");
            }
        }

        return result;
    }

    /// <summary>Upstream's namespace deletion conditions, written to status (best effort: a failure here is only logged).</summary>
    private async Task UpdateConditionsAsync(CoreNamespace ns, ContentResult result, CancellationToken cancellationToken)
    {
        var now = _context.Time.GetUtcNow();
        var status = ns.Status ??= new Api.Models.CoreV1.NamespaceStatus();
        var conditions = status.Conditions ?? [];
        var before = KubeJson.Serialize(conditions);
        Set(conditions, "NamespaceDeletionContentFailure", result.Failures.Count > 0, "ContentDeletionFailed", "ContentDeleted",
            result.Failures.Count > 0 ? "Failed to delete all resource types, " + string.Join("; ", result.Failures) : "All content successfully deleted, may be waiting on finalization", now);
        Set(conditions, "NamespaceContentRemaining", result.Remaining.Count > 0, "SomeResourcesRemain", "ContentRemoved",
            result.Remaining.Count > 0 ? "Some resources are remaining: " + string.Join(", ", result.Remaining.OrderBy(r => r.Key).Select(r => $"{r.Key} has {r.Value} resource instances")) : "All content successfully removed", now);
        Set(conditions, "NamespaceFinalizersRemaining", result.Finalizers.Count > 0, "SomeFinalizersRemain", "ContentHasNoFinalizers",
            result.Finalizers.Count > 0 ? "Some content in the namespace has finalizers remaining: " + string.Join(", ", result.Finalizers.Order()) : "All content-preserving finalizers finished", now);
        status.Conditions = conditions;
        if (KubeJson.Serialize(conditions) == before)
        {
            return;
        }

        try
        {
            await _context.Client.Resource<CoreNamespace>().UpdateStatusAsync(ns, cancellationToken);
        }
        catch (KubeApiException e)
        {
            _context.Log($"namespace {ns.Metadata?.Name}: writing conditions: {e.Message}");
        }
    }

    private static void Set(IList<NamespaceCondition> conditions, string type, bool isTrue, string trueReason, string falseReason, string message,
        DateTimeOffset now)
    {
        var status = isTrue ? "True" : "False";
        var reason = isTrue ? trueReason : falseReason;
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new NamespaceCondition { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = now });
            return;
        }

        if (existing.Status != status)
        {
            existing.LastTransitionTime = now;
        }

        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
    }

    private sealed class ContentResult
    {
        public Dictionary<string, int> Remaining { get; } = [];

        public List<string> Failures { get; } = [];

        public SortedSet<string> Finalizers { get; } = [];

        public long GraceEstimateSeconds { get; set; }

        public void Count(string resource) => Remaining[resource] = Remaining.GetValueOrDefault(resource) + 1;
    }
}
