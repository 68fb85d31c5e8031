using System.Text;
using System.Text.Json;
using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.GarbageCollector;

/// <summary>
/// The garbage collector: deletes objects whose owners are gone (background), deletes an owner's dependents before the
/// owner when it is deleted in the foreground, and unlinks dependents when an owner is deleted with orphaning.
/// </summary>
/// <remarks>
/// The ownership graph is the informer caches themselves: one metadata-only informer (<see cref="PartialObject"/>) per
/// collectable resource (<see cref="GcResources.Collectable"/>), each indexed by uid and by owner uid, so that "the owner
/// of this reference" and "the dependents of this uid" are index look-ups. Handlers only enqueue keys; the worker plans
/// with <see cref="GcDecisions.Plan"/> from the cache, and before acting reads the object again from the server and
/// checks any owner missing from the cache with a live GET (a slow informer must never get an object collected).
/// Owners of kinds outside the catalog (custom resources) are treated as present.
/// </remarks>
public sealed class GarbageCollectorController : IController
{
    public const string ControllerName = "garbagecollector";

    /// <summary>The index of every collector informer: the object's own uid.</summary>
    public const string UidIndex = "gc-uid";

    private readonly ControllerContext _context;
    private readonly Dictionary<string, Source> _byName = [];
    private readonly Dictionary<(string Group, string Kind), Source> _byKind = [];
    private readonly RateLimitingQueue<GcKey> _queue;

    public GarbageCollectorController(ControllerContext context, IResourceCatalog? catalog = null)
    {
        _context = context;
        _queue = new RateLimitingQueue<GcKey>(RateLimiters.DefaultController<GcKey>(context.Time), context.Time);
        foreach (var resource in GcResources.Collectable(catalog ?? BuiltinResources.Instance))
        {
            var informer = context.Informers.Informer<PartialObject>(resource, null);
            if (!informer.Indexer.HasIndex(UidIndex))
            {
                informer.Indexer.AddIndex(UidIndex, o => o.Metadata?.Uid is { Length: > 0 } uid ? [uid] : []);
            }

            if (!informer.Indexer.HasIndex(Indexers.OwnerUid))
            {
                informer.Indexer.AddIndex(Indexers.OwnerUid, Indexers.ByOwnerUid);
            }

            var source = new Source(resource, informer, PartialObject.Client(context.Client, resource));
            _byName[resource.QualifiedName] = source;
            _byKind.TryAdd((resource.Group, resource.Kind), source);
            informer.AddEventHandler(
                onAdd: o => OnChanged(source, null, o),
                onUpdate: (old, o) => OnChanged(source, old, o),
                onDelete: o => OnDeleted(o));
        }
    }

    public string Name => ControllerName;

    /// <summary>The queue (tests watch it drain).</summary>
    public RateLimitingQueue<GcKey> Queue => _queue;

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var source in _byName.Values)
            {
                await source.Informer.WaitForSyncAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            _queue.ShutDown();
            return;
        }

        await QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);
    }

    // ---- event handlers: compute keys, enqueue ----

    private void OnChanged(Source source, PartialObject? old, PartialObject obj)
    {
        var meta = obj.Metadata;
        if (meta is null)
        {
            return;
        }

        if (meta.DeletionTimestamp is not null && meta.Finalizers is { } finalizers &&
            (finalizers.Contains(GcNames.OrphanFinalizer) || finalizers.Contains(GcNames.ForegroundFinalizer)))
        {
            Enqueue(source, meta);
        }
        else if (meta.OwnerReferences is { Count: > 0 } owners && owners.Any(o => !OwnerLooksSolid(o)))
        {
            Enqueue(source, meta);
        }

        // A dependent that dropped its reference no longer holds up an owner deleted in the foreground.
        if (old?.Metadata?.OwnerReferences is { Count: > 0 } before)
        {
            foreach (var owner in before)
            {
                if (meta.OwnerReferences?.Any(o => o.Uid == owner.Uid) != true)
                {
                    EnqueueOwnerIfDeleting(owner);
                }
            }
        }
    }

    private void OnDeleted(PartialObject obj)
    {
        if (obj.Metadata is not { } meta)
        {
            return;
        }

        if (meta.Uid is { Length: > 0 } uid)
        {
            foreach (var (source, dependent) in Dependents(uid))
            {
                if (dependent.Metadata is { } m)
                {
                    Enqueue(source, m);
                }
            }
        }

        foreach (var owner in meta.OwnerReferences ?? [])
        {
            EnqueueOwnerIfDeleting(owner);
        }
    }

    /// <summary>In the cache, not being deleted in the foreground: nothing to do for this reference yet.</summary>
    private bool OwnerLooksSolid(OwnerReference owner)
    {
        var cached = CachedOwner(owner);
        return cached?.Metadata is { } m && !(m.DeletionTimestamp is not null && m.Finalizers?.Contains(GcNames.ForegroundFinalizer) == true);
    }

    private void EnqueueOwnerIfDeleting(OwnerReference owner)
    {
        if (CachedOwner(owner) is { Metadata: { DeletionTimestamp: not null } m } && SourceOf(owner) is { } source)
        {
            Enqueue(source, m);
        }
    }

    private void Enqueue(Source source, ObjectMeta meta) =>
        _queue.Add(new GcKey(source.Resource.QualifiedName, string.IsNullOrEmpty(meta.Namespace) ? null : meta.Namespace, meta.Name ?? ""));

    // ---- the graph, read from the caches ----

    private Source? SourceOf(OwnerReference owner) =>
        owner.Kind is { } kind ? _byKind.GetValueOrDefault((GcResources.GroupOf(owner.ApiVersion), kind)) : null;

    private PartialObject? CachedOwner(OwnerReference owner) =>
        owner.Uid is { Length: > 0 } uid && SourceOf(owner) is { } source ? source.Informer.Indexer.ByIndex(UidIndex, uid).FirstOrDefault() : null;

    private IEnumerable<(Source Source, PartialObject Obj)> Dependents(string uid)
    {
        foreach (var source in _byName.Values)
        {
            foreach (var dependent in source.Informer.Indexer.ByIndex(Indexers.OwnerUid, uid))
            {
                yield return (source, dependent);
            }
        }
    }

    private List<GcNode> DependentNodes(string uid) =>
        [.. Dependents(uid).Select(d => GcNode.Of(d.Source.Resource.QualifiedName, d.Obj))];

    // ---- the worker ----

    public async Task SyncAsync(GcKey key, CancellationToken cancellationToken)
    {
        if (!_byName.TryGetValue(key.Resource, out var source))
        {
            return;
        }

        // Plan from the cache first (cheap); act only on a plan made from the live object.
        var cached = source.Informer.Indexer.Get(key.Namespace, key.Name);
        if (cached is not null)
        {
            var draft = await PlanAsync(source, cached, cancellationToken);
            if (draft.IsNothing)
            {
                return;
            }
        }

        var live = await source.Client.TryGetAsync(key.Namespace, key.Name, cancellationToken);
        if (live?.Metadata is null)
        {
            return;
        }

        var plan = await PlanAsync(source, live, cancellationToken);
        if (!plan.IsNothing)
        {
            _context.Log($"garbage collector: {key}: {plan}");
        }

        await ExecuteAsync(source, live, plan, cancellationToken);
    }

    private async Task<GcPlan> PlanAsync(Source source, PartialObject obj, CancellationToken cancellationToken)
    {
        var node = GcNode.Of(source.Resource.QualifiedName, obj);
        var dependents = DependentNodes(node.Uid);
        var owners = new Dictionary<string, OwnerState>();
        if (!node.Deleting)
        {
            foreach (var owner in node.Owners)
            {
                if (owner.Uid is { Length: > 0 } uid)
                {
                    owners[uid] = await OwnerStateAsync(source, node, owner, cancellationToken);
                }
            }
        }

        return GcDecisions.Plan(node, owners, dependents);
    }

    private async Task<OwnerState> OwnerStateAsync(Source dependentSource, GcNode node, OwnerReference owner, CancellationToken cancellationToken)
    {
        if (SourceOf(owner) is not { } source || string.IsNullOrEmpty(owner.Name))
        {
            return OwnerState.Solid; // an owner kind outside the catalog: never collect on a doubt
        }

        if (source.Resource.Namespaced && !dependentSource.Resource.Namespaced)
        {
            return OwnerState.Solid; // a cluster-scoped object cannot have a namespaced owner: unresolvable, kept
        }

        var obj = CachedOwner(owner) ??
            await source.Client.TryGetAsync(source.Resource.Namespaced ? node.Namespace : null, owner.Name, cancellationToken);
        if (obj?.Metadata is not { } meta || meta.Uid != owner.Uid)
        {
            return OwnerState.Dangling;
        }

        return meta.DeletionTimestamp is not null && meta.Finalizers?.Contains(GcNames.ForegroundFinalizer) == true
            ? OwnerState.WaitingForDependents
            : OwnerState.Solid;
    }

    private async Task ExecuteAsync(Source source, PartialObject live, GcPlan plan, CancellationToken cancellationToken)
    {
        var meta = live.Metadata!;
        var ns = string.IsNullOrEmpty(meta.Namespace) ? null : meta.Namespace;
        var uid = meta.Uid ?? "";

        if (plan.DeleteWithPolicy is { } policy)
        {
            try
            {
                await source.Client.DeleteAsync(ns, meta.Name!, new DeleteOptions
                {
                    PropagationPolicy = policy,
                    Preconditions = new Preconditions { Uid = uid },
                }, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
            {
                // gone already, or replaced by a new object of the same name (which gets its own turn)
            }
        }

        if (plan.RemoveOwnerRefs.Count > 0)
        {
            await RemoveOwnerRefsAsync(source, live, plan.RemoveOwnerRefs, cancellationToken);
        }

        foreach (var dependent in plan.Unlink)
        {
            if (!_byName.TryGetValue(dependent.Resource, out var dependentSource))
            {
                continue;
            }

            var current = await dependentSource.Client.TryGetAsync(dependent.Namespace, dependent.Name, cancellationToken);
            if (current?.Metadata?.Uid == dependent.Uid)
            {
                await RemoveOwnerRefsAsync(dependentSource, current, [uid], cancellationToken);
            }
        }

        foreach (var dependent in plan.Enqueue)
        {
            _queue.Add(new GcKey(dependent.Resource, dependent.Namespace, dependent.Name));
        }

        if (plan.RemoveFinalizer is { } finalizer)
        {
            var index = meta.Finalizers?.IndexOf(finalizer) ?? -1;
            if (index >= 0)
            {
                var patch = new StringBuilder("[");
                AppendTest(patch, "/metadata/uid", uid);
                patch.Append(',');
                AppendTest(patch, $"/metadata/finalizers/{index}", finalizer);
                patch.Append($",{{\"op\":\"remove\",\"path\":\"/metadata/finalizers/{index}\"}}]");
                await PatchAsync(source, ns, meta.Name!, patch.ToString(), cancellationToken);
            }
        }
    }

    private static async Task RemoveOwnerRefsAsync(Source source, PartialObject obj, IReadOnlyList<string> ownerUids, CancellationToken cancellationToken)
    {
        var meta = obj.Metadata!;
        var refs = meta.OwnerReferences ?? [];
        var patch = new StringBuilder("[");
        AppendTest(patch, "/metadata/uid", meta.Uid ?? "");
        var removed = 0;
        for (var i = refs.Count - 1; i >= 0; i--)
        {
            if (refs[i].Uid is { } u && ownerUids.Contains(u))
            {
                patch.Append(',');
                AppendTest(patch, $"/metadata/ownerReferences/{i}/uid", u);
                patch.Append($",{{\"op\":\"remove\",\"path\":\"/metadata/ownerReferences/{i}\"}}");
                removed++;
            }
        }

        if (removed == 0)
        {
            return;
        }

        patch.Append(']');
        await PatchAsync(source, string.IsNullOrEmpty(meta.Namespace) ? null : meta.Namespace, meta.Name!, patch.ToString(), cancellationToken);
    }

    /// <summary>A JSON patch guarded by "test" operations: when the object changed meanwhile it fails, and the key is retried.</summary>
    private static async Task PatchAsync(Source source, string? ns, string name, string patch, CancellationToken cancellationToken)
    {
        try
        {
            await source.Client.PatchAsync(ns, name, PatchType.Json, patch, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    private static void AppendTest(StringBuilder patch, string path, string value) =>
        patch.Append("{\"op\":\"test\",\"path\":").Append(JsonSerializer.Serialize(path)).Append(",\"value\":").Append(JsonSerializer.Serialize(value)).Append('}');

    private sealed record Source(ResourceInfo Resource, SharedInformer<PartialObject> Informer, ResourceClient<PartialObject> Client);
}

/// <summary>A queued object: its resource (qualified name, e.g. "replicasets.apps"), namespace and name.</summary>
public readonly record struct GcKey(string Resource, string? Namespace, string Name)
{
    public override string ToString() => $"{Resource} {(Namespace is null ? "" : Namespace + "/")}{Name}";
}
