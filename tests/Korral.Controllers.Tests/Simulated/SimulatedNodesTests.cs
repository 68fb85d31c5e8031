using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.Tests.Manager;
using Korral.Kubelet.Simulated;
using Korral.Scheduler.Hosting;
using Korral.Scheduler.Scheduling;

namespace Korral.Controllers.Tests.Simulated;

/// <summary>Simulated nodes against a real API server: registration, leases, running and deleting pods, the stand-in binder.</summary>
public sealed class SimulatedNodesTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private SimulatedNodes _nodes = null!;
    private SchedulerHost _scheduler = null!;
    private Task _schedulerRun = Task.CompletedTask;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = _server.NewClient();
        _scheduler = new SchedulerHost(_server.NewClient("system:kube-scheduler"), new SchedulerHostOptions
        {
            LeaderElect = false,
            Scheduler = new SchedulerOptions { Log = _server.Log },
        });
        _schedulerRun = _scheduler.RunAsync(_stop.Token);
        _nodes = await SimulatedNodes.StartAsync(_client, new SimulatedNodesOptions
        {
            Count = 3,
            LeaseRenewInterval = TimeSpan.FromMilliseconds(500),
            Zones = 2,
            Log = _server.Log,
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _schedulerRun;
        await _nodes.DisposeAsync();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task Nodes_register_ready_with_capacity_and_their_leases_renew()
    {
        var nodes = (await _client.Resource<Node>().ListAsync(null, null, CancellationToken.None)).Items;
        Assert.Equal(["sim-node-0", "sim-node-1", "sim-node-2"], nodes.Select(n => n.Metadata!.Name).Order());
        var node = nodes.Single(n => n.Metadata!.Name == "sim-node-2");
        Assert.Equal("10.244.2.0/24", node.Spec!.PodCIDR);
        Assert.Equal("True", node.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.All(node.Status.Conditions!.Where(c => c.Type != "Ready"), c => Assert.Equal("False", c.Status));
        Assert.Equal(["DiskPressure", "MemoryPressure", "PIDPressure", "Ready"], node.Status.Conditions!.Select(c => c.Type!).Order());
        Assert.Equal(("4", "16Gi", "110"), (node.Status.Capacity!["cpu"].ToString(), node.Status.Capacity["memory"].ToString(), node.Status.Allocatable!["pods"].ToString()));
        Assert.Equal(("v1.33.1", "simulated://1.0"), (node.Status.NodeInfo!.KubeletVersion, node.Status.NodeInfo.ContainerRuntimeVersion));
        Assert.Equal(["zone-0", "zone-1", "zone-0"], nodes.OrderBy(n => n.Metadata!.Name).Select(n => n.Metadata!.Labels!["topology.kubernetes.io/zone"]));
        Assert.Contains(node.Status.Addresses!, a => a.Type == "InternalIP");

        var lease = await _client.Resource<Lease>().GetAsync("kube-node-lease", "sim-node-2", CancellationToken.None);
        Assert.Equal("sim-node-2", lease.Spec!.HolderIdentity);
        Assert.Equal("Node", Assert.Single(lease.Metadata!.OwnerReferences!).Kind);
        var first = lease.Spec.RenewTime;
        await Until.ObjectAsync<Lease>(_client, "kube-node-lease", "sim-node-2", l => l?.Spec?.RenewTime > first, what: "a lease renewal");
    }

    [Fact]
    public async Task A_bound_pod_runs_with_an_ip_from_its_node_and_a_deleted_pod_goes_away()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "sim");
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = ns },
            Spec = new PodSpec { NodeName = "sim-node-1", Containers = [new Container { Name = "nginx", Image = "nginx:1.27" }] },
        };
        await _client.Resource<Pod>().CreateAsync(pod, CancellationToken.None);

        var running = await Until.ObjectAsync<Pod>(_client, ns, "web", p => p?.Status?.Phase == "Running", what: "pod Running");
        var status = running!.Status!;
        Assert.StartsWith("10.244.1.", status.PodIP);
        Assert.Equal("10.10.0.2", status.HostIP);
        Assert.NotNull(status.StartTime);
        Assert.All(["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled"],
            t => Assert.Equal("True", status.Conditions!.Single(c => c.Type == t).Status));
        var container = Assert.Single(status.ContainerStatuses!);
        Assert.Equal((true, true, 0, "nginx:1.27"), (container.Ready, container.Started, container.RestartCount, container.Image));
        Assert.StartsWith("simulated://", container.ContainerID);
        Assert.NotNull(container.State!.Running!.StartedAt);

        // A graceful delete: the node stops the containers and confirms with grace period 0.
        await _client.Resource<Pod>().DeleteAsync(ns, "web", CancellationToken.None);
        await Until.ObjectAsync<Pod>(_client, ns, "web", p => p is null, what: "pod gone");
    }

    [Fact]
    public async Task The_scheduler_spreads_pods_over_the_simulated_nodes()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "sim");
        foreach (var i in Enumerable.Range(0, 3))
        {
            await _client.Resource<Pod>().CreateAsync(new Pod
            {
                Metadata = new ObjectMeta { Name = $"p{i}", Namespace = ns },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
            }, CancellationToken.None);
        }

        var nodes = new List<string>();
        foreach (var i in Enumerable.Range(0, 3))
        {
            var pod = await Until.ObjectAsync<Pod>(_client, ns, $"p{i}", p => p?.Status?.Phase == "Running", what: "pod bound and Running");
            nodes.Add(pod!.Spec!.NodeName!);
        }

        Assert.Equal(["sim-node-0", "sim-node-1", "sim-node-2"], nodes.Order());
    }

    [Theory]
    [InlineData(0, "10.244.0")]
    [InlineData(257, "10.245.1")]
    [InlineData(3071, "10.255.255")]
    [InlineData(3072, "100.64.0")]
    [InlineData(SimulatedNodesOptions.MaxCount - 1, "100.127.255")]
    public void Every_simulated_node_up_to_the_maximum_gets_its_own_valid_pod_cidr(int index, string prefix) =>
        Assert.Equal(prefix, SimulatedNodesOptions.PodCidrPrefix(index));
}
