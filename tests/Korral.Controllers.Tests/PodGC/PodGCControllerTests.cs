using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.PodGC;
using Korral.Controllers.Tests.GarbageCollector;

namespace Korral.Controllers.Tests.PodGC;

/// <summary>The pod garbage collector against a real API server, its passes driven by the test, its clock by hand.</summary>
public sealed class PodGCControllerTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private ControllerCluster _cluster = null!;
    private PodGCController _podgc = null!;

    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() =>
        _cluster = await ControllerCluster.StartAsync(c =>
        {
            _podgc = new PodGCController(c, new PodGCOptions { Quarantine = TimeSpan.FromSeconds(40), TerminatedPodThreshold = 2 });
            return [];
        }, _clock, run: false);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<Pod> PodAsync(string name, string? node, string? phase = null)
    {
        var pod = await Client.Resource<Pod>().CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "c", Image = "busybox" }] },
        }, CancellationToken.None);
        if (phase is not null)
        {
            pod = await Client.Resource<Pod>().PatchStatusAsync("default", name, PatchType.Merge, $$$"""{"status":{"phase":"{{{phase}}}"}}""", CancellationToken.None);
        }

        return pod;
    }

    /// <summary>Waits until the collector's pod cache has seen what the test wrote, so a pass works on it.</summary>
    private Task CacheHasAsync(Func<List<Pod>, bool> condition) =>
        _cluster.WaitAsync<Pod>("the pods in the collector's cache", _ => condition(_cluster.Context.Informers.Informer<Pod>().Lister.List()));

    [Fact]
    public async Task Pods_of_a_missing_node_are_force_deleted_after_the_quarantine()
    {
        await Client.Resource<Node>().CreateAsync(new Node { Metadata = new ObjectMeta { Name = "alive" } }, CancellationToken.None);
        await PodAsync("orphan", "gone");
        await PodAsync("kept", "alive");
        await CacheHasAsync(pods => pods.Count(p => p.Metadata!.Name is "orphan" or "kept") == 2);
        await _cluster.WaitAsync<Node>("node alive cached", _ => _cluster.Context.Informers.Informer<Node>().Lister.Get(null, "alive") is not null);

        await _podgc.CollectAsync(CancellationToken.None);   // the node is found missing: quarantine starts
        _clock.Advance(TimeSpan.FromSeconds(39));
        await _podgc.CollectAsync(CancellationToken.None);   // still in quarantine
        Assert.NotNull(await Client.Resource<Pod>().TryGetAsync("default", "orphan", CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _podgc.CollectAsync(CancellationToken.None);   // missing for the whole quarantine and on the server: deleted
        Assert.Null(await Client.Resource<Pod>().TryGetAsync("default", "orphan", CancellationToken.None));
        Assert.NotNull(await Client.Resource<Pod>().TryGetAsync("default", "kept", CancellationToken.None));
    }

    [Fact]
    public async Task A_node_that_comes_back_during_the_quarantine_keeps_its_pods()
    {
        await PodAsync("waiting", "late");
        await CacheHasAsync(pods => pods.Any(p => p.Metadata!.Name == "waiting"));
        await _podgc.CollectAsync(CancellationToken.None);

        // The node registers, but the collector's cache has not seen it yet: the live check before deleting finds it.
        await Client.Resource<Node>().CreateAsync(new Node { Metadata = new ObjectMeta { Name = "late" } }, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _podgc.CollectAsync(CancellationToken.None);
        Assert.NotNull(await Client.Resource<Pod>().TryGetAsync("default", "waiting", CancellationToken.None));
    }

    [Fact]
    public async Task Terminated_pods_beyond_the_threshold_are_deleted_oldest_first_then_by_name()
    {
        await Client.Resource<Node>().CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } }, CancellationToken.None);
        await PodAsync("done-1", "n1", "Succeeded");
        await PodAsync("done-2", "n1", "Failed");
        await PodAsync("done-3", "n1", "Succeeded");
        await PodAsync("running", "n1", "Running");
        await CacheHasAsync(pods => pods.Count(p => p.Status?.Phase is "Succeeded" or "Failed") == 3);

        await _podgc.CollectAsync(CancellationToken.None);
        Assert.Null(await Client.Resource<Pod>().TryGetAsync("default", "done-1", CancellationToken.None));
        foreach (var name in new[] { "done-2", "done-3", "running" })
        {
            Assert.NotNull(await Client.Resource<Pod>().TryGetAsync("default", name, CancellationToken.None));
        }
    }

    /// <summary>A clock moved by the test (PodGC reads only the wall clock).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
