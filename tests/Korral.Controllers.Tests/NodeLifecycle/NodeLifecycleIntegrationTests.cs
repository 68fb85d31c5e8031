using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.NodeLifecycle;
using Korral.Controllers.Tests.Manager;
using Korral.Kubelet.Simulated;
using static Korral.Controllers.Tests.NodeLifecycle.NodeFixtures;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>
/// Both controllers against a real API server with simulated nodes, one of which stops heartbeating; grace periods
/// shortened to seconds.
/// </summary>
public sealed class NodeLifecycleIntegrationTests : IAsyncLifetime
{
    private static readonly NodeLifecycleOptions Short = new() { NodeMonitorGracePeriod = TimeSpan.FromSeconds(2), NodeStartupGracePeriod = TimeSpan.FromSeconds(3) };

    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private SimulatedNodes _live = null!;
    private SimulatedNodes? _dying;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = _server.NewClient();
        _live = await SimulatedNodes.StartAsync(_client, Nodes("live-"), CancellationToken.None);
        _dying = await SimulatedNodes.StartAsync(_client, Nodes("dying-"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_dying is not null)
        {
            await _dying.DisposeAsync();
        }

        await _live.DisposeAsync();
        await _server.DisposeAsync();
    }

    private SimulatedNodesOptions Nodes(string prefix) =>
        new() { Count = 1, NamePrefix = prefix, LeaseRenewInterval = TimeSpan.FromMilliseconds(200), Log = _server.Log };

    private async Task<Pod> RunPodAsync(string ns, string name, string node, params Toleration[] tolerations)
    {
        await _client.Resource<Pod>().CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new PodSpec
            {
                NodeName = node,
                Containers = [new Container { Name = "c", Image = "nginx:1.27" }],
                Tolerations = tolerations.Length > 0 ? [.. tolerations] : null,
            },
        }, CancellationToken.None);
        return (await Until.ObjectAsync<Pod>(_client, ns, name, p => IsReady(p) == "True", what: $"pod {name} Running and Ready"))!;
    }

    private static string? IsReady(Pod? pod) => pod?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;

    private static bool HasTaint(Node? node, string key, string effect) => node?.Spec?.Taints?.Any(t => t.Key == key && t.Effect == effect && t.TimeAdded is not null) == true;

    [Fact]
    public async Task A_node_that_stops_heartbeating_goes_Unknown_is_tainted_unreachable_and_its_pods_go_as_their_tolerations_say()
    {
        var lifecycle = await _server.RunControllerAsync(_client, c => new NodeLifecycleController(c, Short));
        var eviction = await _server.RunControllerAsync(_client, c => new TaintEvictionController(c));
        var ns = await _server.CreateNamespaceAsync(_client, "nlc");
        var defaulted = await RunPodAsync(ns, "defaulted", "dying-0");
        await RunPodAsync(ns, "at-once", "dying-0", Tolerate(NodeTaints.Unreachable, 0));
        await RunPodAsync(ns, "after-two", "dying-0", Tolerate(NodeTaints.Unreachable, 2));
        await RunPodAsync(ns, "elsewhere", "live-0");
        Assert.Contains(defaulted.Spec!.Tolerations!, t => t.Key == NodeTaints.Unreachable && t.TolerationSeconds == 300);

        // The kubelet of dying-0 stops: no more Lease renewals.
        await _dying!.DisposeAsync();
        _dying = null;

        var node = await Until.ObjectAsync<Node>(_client, null, "dying-0", n => NodeConditions.ReadyOf(n)?.Status == "Unknown", what: "dying-0 Ready Unknown");
        var ready = NodeConditions.ReadyOf(node)!;
        Assert.Equal(("NodeStatusUnknown", "Kubelet stopped posting node status."), (ready.Reason, ready.Message));
        Assert.All(node!.Status!.Conditions!, c => Assert.Equal("Unknown", c.Status));

        await Until.ObjectAsync<Node>(_client, null, "dying-0",
            n => HasTaint(n, NodeTaints.Unreachable, "NoSchedule") && HasTaint(n, NodeTaints.Unreachable, "NoExecute"), what: "dying-0 tainted unreachable");
        var atOnce = await Until.ObjectAsync<Pod>(_client, ns, "at-once", p => p?.Metadata?.DeletionTimestamp is not null, what: "pod at-once being deleted");
        var disruption = Assert.Single(atOnce!.Status!.Conditions!, c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint"), (disruption.Status, disruption.Reason, disruption.Message));
        await Until.ObjectAsync<Pod>(_client, ns, "after-two", p => p?.Metadata?.DeletionTimestamp is not null, what: "pod after-two being deleted");

        // The pod with the default 300 s tolerations stays for now, not Ready; the live node and its pod are untouched.
        var stays = await Until.ObjectAsync<Pod>(_client, ns, "defaulted", p => IsReady(p) == "False", what: "pod defaulted not Ready");
        Assert.Null(stays!.Metadata!.DeletionTimestamp);
        var live = await _client.Resource<Node>().GetAsync(null, "live-0", CancellationToken.None);
        Assert.Equal(("True", 0), (NodeConditions.ReadyOf(live)!.Status, live.Spec?.Taints?.Count ?? 0));
        Assert.Equal("True", IsReady(await _client.Resource<Pod>().GetAsync(ns, "elsewhere", CancellationToken.None)));

        // Stopping the controllers flushes their events.
        await eviction.DisposeAsync();
        await lifecycle.DisposeAsync();
        var podEvents = (await _client.Resource<Event>().ListAsync(ns, null, CancellationToken.None)).Items.Select(e => $"{e.Reason} {e.Message}").ToList();
        Assert.Contains($"TaintManagerEviction Marking for deletion Pod {ns}/at-once", podEvents);
        Assert.Contains("NodeNotReady Node is not ready", podEvents);
        var nodeEvents = (await _client.Resource<Event>().ListAsync("default", null, CancellationToken.None)).Items.Select(e => $"{e.Reason} {e.Message}").ToList();
        Assert.Contains("NodeNotReady Node dying-0 status is now: NodeNotReady", nodeEvents);
    }
}
