using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.Tests.Manager;
using Korral.Kubelet.Simulated;
using Korral.Scheduler.Tests.Fixtures;

namespace Korral.Scheduler.Tests.Integration;

/// <summary>
/// Placement rules end to end on a real API server: pod anti-affinity, spreading across zones of simulated nodes, node
/// selectors — each checked on where pods land and on the message of the pod that cannot be placed.
/// </summary>
public sealed class PlacementTests : IAsyncLifetime
{
    private SchedulerCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulerCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Pod NewPod(string name, IDictionary<string, string> labels)
    {
        var pod = TestPods.Pod(name, labels: labels);
        pod.Metadata!.Uid = null;
        pod.Spec!.Priority = null;
        return pod;
    }

    private static LabelSelector Selects(string app) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = app } };

    [Fact]
    public async Task Required_anti_affinity_puts_one_pod_per_node_and_refuses_the_extra_one()
    {
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            await _cluster.AddNodeAsync(name);
        }

        var nodes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var pod = NewPod($"solo-{i}", new Dictionary<string, string> { ["app"] = "solo" });
            pod.Spec!.Affinity = new Affinity
            {
                PodAntiAffinity = new PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = [new PodAffinityTerm { LabelSelector = Selects("solo"), TopologyKey = "kubernetes.io/hostname" }],
                },
            };
            await _cluster.CreatePodAsync(pod);
            if (i < 3)
            {
                nodes.Add(await _cluster.BoundNodeAsync($"solo-{i}"));
            }
        }

        Assert.Equal(["n1", "n2", "n3"], nodes.Order());
        var message = await _cluster.UnschedulableMessageAsync("solo-3");
        Assert.StartsWith("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.", message);
    }

    [Fact]
    public async Task Required_affinity_follows_the_pod_it_wants_to_be_near()
    {
        await _cluster.AddNodeAsync("n1");
        await _cluster.AddNodeAsync("n2");
        await _cluster.CreatePodAsync(NewPod("db", new Dictionary<string, string> { ["app"] = "db" }));
        var dbNode = await _cluster.BoundNodeAsync("db");

        for (var i = 0; i < 3; i++)
        {
            var pod = NewPod($"web-{i}", new Dictionary<string, string> { ["app"] = "web" });
            pod.Spec!.Affinity = new Affinity
            {
                PodAffinity = new PodAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = [new PodAffinityTerm { LabelSelector = Selects("db"), TopologyKey = "kubernetes.io/hostname" }],
                },
            };
            await _cluster.CreatePodAsync(pod);
            Assert.Equal(dbNode, await _cluster.BoundNodeAsync($"web-{i}"));
        }
    }

    [Fact]
    public async Task Topology_spread_balances_pods_across_the_zones_of_simulated_nodes()
    {
        await using var nodes = await SimulatedNodes.StartAsync(_cluster.Server.NewClient("system:node:simulated"), new SimulatedNodesOptions
        {
            Count = 6,
            Zones = 3,
            Log = _cluster.Server.Log,
        }, CancellationToken.None);

        var zoneOf = new Dictionary<string, string>();
        foreach (var node in (await _cluster.Client.Resource<Node>().ListAsync(null, null, CancellationToken.None)).Items)
        {
            zoneOf[node.Metadata!.Name!] = node.Metadata.Labels!["topology.kubernetes.io/zone"];
        }

        var perZone = new Dictionary<string, int>();
        for (var i = 0; i < 9; i++)
        {
            var pod = NewPod($"spread-{i}", new Dictionary<string, string> { ["app"] = "spread" });
            pod.Spec!.TopologySpreadConstraints =
            [
                new TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "DoNotSchedule", LabelSelector = Selects("spread") },
            ];
            await _cluster.CreatePodAsync(pod);
            var zone = zoneOf[await _cluster.BoundNodeAsync($"spread-{i}")];
            perZone[zone] = perZone.GetValueOrDefault(zone) + 1;

            // maxSkew 1 holds after every placement.
            var counts = zoneOf.Values.Distinct().Select(z => perZone.GetValueOrDefault(z)).ToList();
            Assert.True(counts.Max() - counts.Min() <= 1, $"after {i + 1} pods: {string.Join(", ", perZone)}");
        }

        Assert.Equal([3, 3, 3], perZone.Values);
    }

    [Fact]
    public async Task A_node_selector_with_no_matching_node_waits_until_a_node_is_labelled()
    {
        await _cluster.AddNodeAsync("plain");
        var pod = NewPod("picky", new Dictionary<string, string> { ["app"] = "picky" });
        pod.Spec!.NodeSelector = new Dictionary<string, string> { ["disktype"] = "ssd" };
        await _cluster.CreatePodAsync(pod);

        Assert.StartsWith("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.", await _cluster.UnschedulableMessageAsync("picky"));

        await _cluster.Client.Resource<Node>().PatchAsync(null, "plain", PatchType.Merge, """{"metadata":{"labels":{"disktype":"ssd"}}}""", CancellationToken.None);
        Assert.Equal("plain", await _cluster.BoundNodeAsync("picky"));
    }
}
