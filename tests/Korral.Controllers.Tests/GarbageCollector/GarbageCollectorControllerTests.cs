using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Controllers.GarbageCollector;
using Korral.Controllers.Manager;

namespace Korral.Controllers.Tests.GarbageCollector;

/// <summary>
/// The collector's worker without a server: caches seeded directly, the API a <see cref="FakeApi"/> that records every
/// request, one <see cref="GarbageCollectorController.SyncAsync"/> at a time.
/// </summary>
public sealed class GarbageCollectorControllerTests : IAsyncLifetime
{
    private const string Ns = "ns";
    private const string RsPath = "/apis/apps/v1/namespaces/ns/replicasets/rs";

    private readonly FakeApi _api = new();
    private KubeClient _client = null!;
    private SharedInformerFactory _informers = null!;
    private EventRecorder _events = null!;
    private GarbageCollectorController _gc = null!;

    public Task InitializeAsync()
    {
        _client = new KubeClient(new KubeClientOptions { Server = new Uri("https://api.invalid"), Handler = _api, MaxRetries = 0 });
        _informers = new SharedInformerFactory(_client);
        _events = new EventRecorder(_client, new EventRecorderOptions { Component = "test" });
        _gc = new GarbageCollectorController(new ControllerContext(_client, _informers, _events, TimeProvider.System, _ => { }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _events.DisposeAsync();
        await _informers.DisposeAsync();
        _client.Dispose();
    }

    private Indexer<PartialObject> Cache(string group, string plural) =>
        _informers.Informer<PartialObject>(BuiltinResources.Instance.All.First(r => r.Group == group && r.Plural == plural), null).Indexer;

    private static PartialObject Obj(string name, string uid, OwnerReference[]? owners = null, bool deleting = false, params string[] finalizers) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name, Namespace = Ns, Uid = uid, OwnerReferences = owners, Finalizers = finalizers.Length == 0 ? null : [.. finalizers],
            DeletionTimestamp = deleting ? DateTimeOffset.UtcNow : null,
        },
    };

    private static OwnerReference RsRef(string uid = "rs-uid") =>
        new() { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = uid, Controller = true, BlockOwnerDeletion = true };

    /// <summary>Puts the object in the cache and on the fake server.</summary>
    private void Seed(string group, string plural, PartialObject obj)
    {
        Cache(group, plural).Upsert(obj);
        var prefix = group.Length == 0 ? "/api/v1" : $"/apis/{group}/v1";
        _api.Objects[$"{prefix}/namespaces/{Ns}/{plural}/{obj.Metadata!.Name}"] = obj;
    }

    [Fact]
    public async Task A_pod_whose_owner_is_cached_costs_no_request()
    {
        Seed("apps", "replicasets", Obj("rs", "rs-uid"));
        Seed("", "pods", Obj("p", "p-uid", [RsRef()]));

        await _gc.SyncAsync(new GcKey("pods", Ns, "p"), CancellationToken.None);

        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_pod_whose_owner_is_gone_is_deleted_in_the_background_after_a_live_check()
    {
        Seed("", "pods", Obj("p", "p-uid", [RsRef()]));

        await _gc.SyncAsync(new GcKey("pods", Ns, "p"), CancellationToken.None);

        Assert.Contains($"GET {RsPath}", _api.Requests); // the owner checked on the server, not only in the cache
        var delete = Assert.Single(_api.Writes);
        Assert.StartsWith("DELETE /api/v1/namespaces/ns/pods/p ", delete);
        Assert.Contains("\"propagationPolicy\":\"Background\"", delete);
        Assert.Contains("\"uid\":\"p-uid\"", delete); // precondition: this very object
    }

    [Fact]
    public async Task An_owner_missing_from_the_cache_but_on_the_server_keeps_its_dependent()
    {
        Seed("", "pods", Obj("p", "p-uid", [RsRef()]));
        _api.Objects[RsPath] = Obj("rs", "rs-uid"); // a slow informer: the server has it

        await _gc.SyncAsync(new GcKey("pods", Ns, "p"), CancellationToken.None);

        Assert.Empty(_api.Writes);
    }

    [Fact]
    public async Task An_owner_of_the_same_name_with_another_uid_does_not_count()
    {
        Seed("", "pods", Obj("p", "p-uid", [RsRef("old-uid")]));
        _api.Objects[RsPath] = Obj("rs", "new-uid");

        await _gc.SyncAsync(new GcKey("pods", Ns, "p"), CancellationToken.None);

        Assert.StartsWith("DELETE /api/v1/namespaces/ns/pods/p ", Assert.Single(_api.Writes));
    }

    [Fact]
    public async Task Orphaning_unlinks_every_dependent_then_removes_the_finalizer()
    {
        Seed("apps", "replicasets", Obj("rs", "rs-uid", deleting: true, finalizers: GcNames.OrphanFinalizer));
        var other = new OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "cm", Uid = "cm-uid" };
        Seed("", "pods", Obj("p1", "p1-uid", [RsRef()]));
        Seed("", "pods", Obj("p2", "p2-uid", [other, RsRef()]));
        Seed("", "configmaps", Obj("cm", "cm-uid"));

        await _gc.SyncAsync(new GcKey("replicasets.apps", Ns, "rs"), CancellationToken.None);

        var writes = _api.Writes;
        Assert.Equal(3, writes.Count);
        Assert.Contains(writes.Take(2), w => w.StartsWith("PATCH /api/v1/namespaces/ns/pods/p1 ") && w.Contains("\"op\":\"remove\",\"path\":\"/metadata/ownerReferences/0\""));
        Assert.Contains(writes.Take(2), w => w.StartsWith("PATCH /api/v1/namespaces/ns/pods/p2 ") && w.Contains("\"op\":\"remove\",\"path\":\"/metadata/ownerReferences/1\""));
        Assert.StartsWith($"PATCH {RsPath} ", writes[2]);
        Assert.Contains("\"value\":\"orphan\"", writes[2]);
        Assert.Contains("\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"", writes[2]);
    }

    [Fact]
    public async Task Foreground_owner_has_its_blocking_dependents_deleted_and_waits()
    {
        Seed("apps", "replicasets", Obj("rs", "rs-uid", deleting: true, finalizers: GcNames.ForegroundFinalizer));
        Seed("", "pods", Obj("p1", "p1-uid", [RsRef()]));

        await _gc.SyncAsync(new GcKey("replicasets.apps", Ns, "rs"), CancellationToken.None);
        Assert.Empty(_api.Writes); // the owner waits; its dependent is queued
        Assert.Equal(1, _gc.Queue.Count);

        await _gc.SyncAsync(new GcKey("pods", Ns, "p1"), CancellationToken.None);
        var delete = Assert.Single(_api.Writes);
        Assert.StartsWith("DELETE /api/v1/namespaces/ns/pods/p1 ", delete);
        Assert.Contains("\"propagationPolicy\":\"Background\"", delete);

        // The pod is gone: the owner's finalizer goes.
        Cache("", "pods").Remove("ns/p1");
        _api.Objects.Remove("/api/v1/namespaces/ns/pods/p1");
        await _gc.SyncAsync(new GcKey("replicasets.apps", Ns, "rs"), CancellationToken.None);
        Assert.Contains("\"value\":\"foregroundDeletion\"", _api.Writes[^1]);
    }
}
