using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.GarbageCollector;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;

namespace Korral.Controllers.Tests.GarbageCollector;

/// <summary>
/// The garbage collector against a real API server: chains of objects linked by ownerReferences (a Secret owning
/// ConfigMaps that own ConfigMaps), the owner deleted with each propagation policy.
/// </summary>
public sealed class GarbageCollectorTests : IAsyncLifetime
{
    private ControllerCluster _cluster = null!;
    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() =>
        _cluster = await ControllerCluster.StartAsync(c => [(new GarbageCollectorController(c), 4)]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<string> NamespaceAsync()
    {
        var name = "gc-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    private static OwnerReference OwnedBy(Secret secret, bool block = true, bool controller = true) => new()
    {
        ApiVersion = "v1", Kind = "Secret", Name = secret.Metadata!.Name, Uid = secret.Metadata.Uid, BlockOwnerDeletion = block, Controller = controller,
    };

    private static OwnerReference OwnedBy(ConfigMap map, bool block = true) => new()
    {
        ApiVersion = "v1", Kind = "ConfigMap", Name = map.Metadata!.Name, Uid = map.Metadata.Uid, BlockOwnerDeletion = block, Controller = true,
    };

    private Task<Secret> SecretAsync(string ns, string name) =>
        Client.Resource<Secret>().CreateAsync(new Secret { Metadata = new ObjectMeta { Name = name, Namespace = ns } }, CancellationToken.None);

    private Task<ConfigMap> MapAsync(string ns, string name, params OwnerReference[] owners) =>
        Client.Resource<ConfigMap>().CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, OwnerReferences = owners.Length == 0 ? null : [.. owners] },
            Data = new Dictionary<string, string> { ["k"] = "v" },
        }, CancellationToken.None);

    [Fact]
    public async Task Background_deletion_removes_the_whole_chain()
    {
        var ns = await NamespaceAsync();
        var owner = await SecretAsync(ns, "owner");
        var child = await MapAsync(ns, "child", OwnedBy(owner));
        await MapAsync(ns, "grandchild", OwnedBy(child));

        await Client.Resource<Secret>().DeleteAsync(ns, "owner", new DeleteOptions { PropagationPolicy = "Background" }, CancellationToken.None);

        await _cluster.WaitAsync<ConfigMap>("child and grandchild collected",
            maps => maps.Get(ns, "child") is null && maps.Get(ns, "grandchild") is null);
    }

    [Fact]
    public async Task Foreground_deletion_removes_dependents_before_the_owner()
    {
        var ns = await NamespaceAsync();
        var secrets = await _cluster.InformerAsync<Secret>();
        var maps = await _cluster.InformerAsync<ConfigMap>();
        var order = new List<string>();

        // Handlers run after the cache changes: the owner's DELETED handler is what this test waits for, not the cache.
        var ownerHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onSecret = secrets.AddEventHandler(onDelete: s =>
        {
            lock (order)
            {
                order.Add(s.Metadata!.Name!);
            }

            if (s.Metadata!.Name == "owner")
            {
                ownerHandled.TrySetResult();
            }
        });
        using var onMap = maps.AddEventHandler(onDelete: m => { lock (order) { order.Add(m.Metadata!.Name!); } });

        var owner = await SecretAsync(ns, "owner");
        var child = await MapAsync(ns, "child", OwnedBy(owner));
        await MapAsync(ns, "grandchild", OwnedBy(child));

        var pending = await Client.Resource<Secret>().DeleteAsync(ns, "owner", new DeleteOptions { PropagationPolicy = "Foreground" }, CancellationToken.None);
        Assert.NotNull(pending); // kept by the foregroundDeletion finalizer
        Assert.Contains(GcNames.ForegroundFinalizer, pending.Metadata!.Finalizers ?? []);

        await _cluster.WaitAsync<Secret>("the owner gone", s => s.Get(ns, "owner") is null);
        await _cluster.WaitAsync<ConfigMap>("the dependents gone", m => m.Get(ns, "child") is null && m.Get(ns, "grandchild") is null);
        await ownerHandled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (order)
        {
            Assert.Equal(["grandchild", "child", "owner"], order.Where(n => n is "owner" or "child" or "grandchild"));
        }
    }

    [Fact]
    public async Task Orphan_deletion_keeps_dependents_and_unlinks_them()
    {
        var ns = await NamespaceAsync();
        var owner = await SecretAsync(ns, "owner");
        var other = await SecretAsync(ns, "other");
        await MapAsync(ns, "child", OwnedBy(owner), OwnedBy(other, block: false, controller: false));

        await Client.Resource<Secret>().DeleteAsync(ns, "owner", new DeleteOptions { PropagationPolicy = "Orphan" }, CancellationToken.None);

        await _cluster.WaitAsync<Secret>("the owner gone", s => s.Get(ns, "owner") is null);
        var child = await Client.Resource<ConfigMap>().GetAsync(ns, "child", CancellationToken.None);
        Assert.Equal([other.Metadata!.Uid], child.Metadata!.OwnerReferences!.Select(o => o.Uid));
    }

    [Fact]
    public async Task A_dependent_of_an_owner_that_never_existed_is_deleted()
    {
        var ns = await NamespaceAsync();
        await MapAsync(ns, "stray", new OwnerReference
        {
            ApiVersion = "v1", Kind = "Secret", Name = "ghost", Uid = Guid.NewGuid().ToString(), BlockOwnerDeletion = true,
        });

        await _cluster.WaitAsync<ConfigMap>("the stray map collected", m => m.Get(ns, "stray") is null);
    }

    [Fact]
    public async Task An_owner_recreated_under_the_same_name_does_not_keep_old_dependents()
    {
        var ns = await NamespaceAsync();
        var old = await SecretAsync(ns, "owner");
        await Client.Resource<Secret>().DeleteAsync(ns, "owner", CancellationToken.None);
        await SecretAsync(ns, "owner");
        await MapAsync(ns, "child", OwnedBy(old)); // points at the old uid

        await _cluster.WaitAsync<ConfigMap>("the child of the old owner collected", m => m.Get(ns, "child") is null);
    }

    [Fact]
    public async Task A_dependent_with_a_remaining_owner_stays_and_loses_the_dangling_reference()
    {
        var ns = await NamespaceAsync();
        var first = await SecretAsync(ns, "first");
        var second = await SecretAsync(ns, "second");
        await MapAsync(ns, "shared", OwnedBy(first), OwnedBy(second, block: false, controller: false));

        await Client.Resource<Secret>().DeleteAsync(ns, "first", CancellationToken.None);
        await _cluster.WaitAsync<ConfigMap>("the reference to the deleted owner dropped",
            m => m.Get(ns, "shared")?.Metadata?.OwnerReferences is { Count: 1 } refs && refs[0].Uid == second.Metadata!.Uid);

        await Client.Resource<Secret>().DeleteAsync(ns, "second", CancellationToken.None);
        await _cluster.WaitAsync<ConfigMap>("the map collected with its last owner", m => m.Get(ns, "shared") is null);
    }

    [Fact]
    public async Task Cluster_scoped_owner_of_namespaced_dependents()
    {
        var ns = await NamespaceAsync();
        var owner = await Client.Resource<CoreNamespace>().GetAsync(null, ns, CancellationToken.None);
        var other = await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns + "-owner" } }, CancellationToken.None);
        await MapAsync(ns, "child", new OwnerReference
        {
            ApiVersion = "v1", Kind = "Namespace", Name = other.Metadata!.Name, Uid = other.Metadata.Uid, BlockOwnerDeletion = false,
        });
        Assert.NotNull(owner);

        // The owning namespace goes (nothing finalizes namespaces in this cluster: remove it through finalize).
        await Client.Resource<CoreNamespace>().DeleteAsync(null, other.Metadata.Name!, CancellationToken.None);
        var terminating = await Client.Resource<CoreNamespace>().GetAsync(null, other.Metadata.Name!, CancellationToken.None);
        terminating.Spec!.Finalizers = [];
        await Client.Resource<CoreNamespace>().UpdateSubresourceAsync<CoreNamespace, CoreNamespace>(null, other.Metadata.Name!, "finalize", terminating, CancellationToken.None);

        await _cluster.WaitAsync<ConfigMap>("the map owned by the deleted namespace collected", m => m.Get(ns, "child") is null);
    }
}
