using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Korral.Api.Resources;
using Korral.ApiServer.Admission;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Strategies;
using Korral.ApiServer.WatchCache;
using Korral.Storage.Contract;

namespace Korral.ApiServer.Registry;

/// <summary>
/// The generic store every resource goes through: get/list/watch from the watch cache, and create/update/delete as
/// compare-and-swap transactions on the key-value store, with the kind's strategy, defaulting and validation applied in
/// upstream's order. Only this class writes objects.
/// </summary>
public sealed partial class ResourceStore
{
    /// <summary>Objects larger than this are refused, as etcd's request limit refuses them upstream.</summary>
    public const int MaxObjectBytes = 1536 * 1024;

    private readonly IKeyValueStore _store;
    private readonly WatchCacheSet _caches;
    private readonly IStrategyProvider _strategies;
    private readonly IObjectRules _rules;
    private readonly IResourceCatalog _catalog;
    private readonly LeasePool _leases;
    private readonly FieldManager _fieldManager;
    private readonly Func<string> _nameSuffix;

    /// <param name="nameSuffix">Draws generated-name suffixes; <see cref="GeneratedNames.RandomSuffix"/> unless given.</param>
    public ResourceStore(IKeyValueStore store, WatchCacheSet caches, IStrategyProvider strategies, IObjectRules rules, IResourceCatalog catalog,
        FieldManager fieldManager, TimeProvider time, Func<string>? nameSuffix = null)
    {
        _nameSuffix = nameSuffix ?? GeneratedNames.RandomSuffix;
        _fieldManager = fieldManager;
        _store = store;
        _caches = caches;
        _strategies = strategies;
        _rules = rules;
        _catalog = catalog;
        _leases = new LeasePool(store, time);
    }

    public WatchCacheSet Caches => _caches;

    public IResourceCatalog Catalog => _catalog;

    public static string KeyFor(ResourceInfo resource, string ns, string name) =>
        resource.Namespaced ? $"{resource.StoragePrefix}{ns}/{name}" : $"{resource.StoragePrefix}{name}";

    public ResourceCache CacheFor(ResourceInfo resource) =>
        _caches.For(resource) ?? throw ApiErrors.Internal($"no watch cache for {resource.QualifiedName}");

    /// <summary>A consistent read of one object from the watch cache.</summary>
    public async Task<CachedObject> GetAsync(ResourceInfo resource, string ns, string name, CancellationToken cancellationToken)
    {
        await _caches.WaitUntilFreshAsync(cancellationToken);
        return CacheFor(resource).Get(KeyFor(resource, ns, name)) ?? throw ApiErrors.NotFound(resource, name);
    }

    /// <summary>Reads one object straight from the store, for a read-modify-write.</summary>
    public async Task<StoredObject?> ReadAsync(ResourceInfo resource, string ns, string name, CancellationToken cancellationToken)
    {
        var range = await _store.RangeAsync(new RangeRequest(KeyFor(resource, ns, name)), cancellationToken);
        if (range.Kvs.Count == 0)
        {
            return null;
        }

        var kv = range.Kvs[0];
        var obj = JsonNode.Parse(kv.Value.Span) as JsonObject ?? throw ApiErrors.Internal($"stored object at {kv.Key} is not a JSON object");
        Meta.SetResourceVersion(obj, kv.ModRevision);
        return new StoredObject(obj, kv.ModRevision);
    }

    /// <summary>A raw range read of the store (list pages at a past revision).</summary>
    public Task<RangeResult> RangeRawAsync(RangeRequest request, CancellationToken cancellationToken) => _store.RangeAsync(request, cancellationToken);

    private static byte[] Serialize(JsonObject obj)
    {
        // The stored form carries no resourceVersion: the store's mod revision is the version.
        var meta = Meta.Of(obj);

        // Empty metadata lists and maps are left out, as upstream's encoding omits them (an orphaned object has no
        // ownerReferences field rather than an empty one).
        foreach (var field in new[] { "ownerReferences", "finalizers", "labels", "annotations", "managedFields" })
        {
            if (meta[field] is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                meta.Remove(field);
            }
        }

        var rv = meta["resourceVersion"];
        meta.Remove("resourceVersion");
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(obj);
            if (bytes.Length > MaxObjectBytes)
            {
                throw ApiErrors.RequestEntityTooLarge(
                    $"Request entity too large: the object is {bytes.Length} bytes, over the limit of {MaxObjectBytes} bytes");
            }

            return bytes;
        }
        finally
        {
            if (rv is not null)
            {
                meta["resourceVersion"] = rv;
            }
        }
    }

    /// <summary>
    /// Runs a write whose object may carry a time-to-live. A lease the store has dropped meanwhile (expired, or the
    /// store restarted) is replaced once.
    /// </summary>
    private async Task<TxnResult> WriteWithLeaseAsync(TimeSpan? ttl, Func<long, Txn> build, CancellationToken cancellationToken)
    {
        if (ttl is not { } t)
        {
            return await _store.TxnAsync(build(0), cancellationToken);
        }

        var lease = await _leases.LeaseForAsync(t, cancellationToken);
        try
        {
            return await _store.TxnAsync(build(lease), cancellationToken);
        }
        catch (LeaseNotFoundException)
        {
            await _leases.ForgetAsync(lease, cancellationToken);
            return await _store.TxnAsync(build(await _leases.LeaseForAsync(t, cancellationToken)), cancellationToken);
        }
    }

    /// <summary>
    /// Records who changed which fields (metadata.managedFields) for a write that is not a server-side apply: what
    /// changed becomes the writer's, what was removed is nobody's.
    /// </summary>
    private void RecordManagedFields(ResourceInfo resource, JsonObject? old, JsonObject obj, string subresource, WriteContext context)
    {
        if (context.Applied)
        {
            return;
        }

        var manager = FieldManagerName.Resolve(context.FieldManager, context.UserAgent);
        _fieldManager.RecordUpdate(old, obj, manager, "Update", subresource is "status" or "scale" ? subresource : null,
            new UpdateContext(resource.GroupVersionKind) { ResetFields = ResetFieldsFor(resource, subresource), UserAgent = context.UserAgent });
    }

    /// <summary>
    /// The fields a write through <paramref name="subresource"/> may not change, as the kind's strategy resets them:
    /// the main resource leaves status alone, the status subresource spec (and labels, for the apps workloads).
    /// </summary>
    public static FieldSet? ResetFieldsFor(ResourceInfo resource, string subresource) => subresource switch
    {
        "status" => resource.Group == "apps" ? ResetFields.SpecAndLabels : ResetFields.Spec,
        _ when resource.HasStatus => ResetFields.Status,
        _ => null,
    };

    private void EnsureValid(ResourceInfo resource, JsonObject obj, JsonObject? old, string subresource = "")
    {
        var failure = old is null ? _rules.ValidateCreate(resource, obj) : _rules.ValidateUpdate(resource, obj, old, subresource);
        if (failure is not null)
        {
            throw ApiErrors.Invalid(resource, Meta.Name(obj), failure.Message, failure.Causes);
        }
    }

    private async Task EnsureNamespaceAcceptsAsync(ResourceInfo resource, string ns, string name, CancellationToken cancellationToken)
    {
        if (!resource.Namespaced)
        {
            return;
        }

        var namespaces = _catalog.Find("", "v1", "namespaces") ?? throw ApiErrors.Internal("namespaces are not served");
        await _caches.WaitUntilFreshAsync(cancellationToken);
        var nsObj = CacheFor(namespaces).Get(KeyFor(namespaces, "", ns)) ?? throw ApiErrors.NotFound(namespaces, ns);
        if (nsObj.Fields.TryGetValue("status.phase", out var phase) && phase == "Terminating")
        {
            throw ApiErrors.Forbidden(resource, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }
}
