using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.NodeIpam;
using Korral.Controllers.Tests.Manager;

namespace Korral.Controllers.Tests.NodeIpam;

/// <summary>The node IPAM controller against a real API server (its own per test: nodes are cluster-wide).</summary>
public sealed class NodeIpamControllerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = _server.NewClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<Node> NodeAsync(string name, string? podCidr = null) =>
        _client.Resource<Node>().CreateAsync(new Node
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = podCidr is null ? null : new NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
        }, CancellationToken.None);

    private async Task<string> CidrOfAsync(string name)
    {
        var node = await Until.ObjectAsync<Node>(_client, null, name, n => n?.Spec?.PodCIDR is not null, what: $"a pod CIDR on node {name}");
        Assert.Equal([node!.Spec!.PodCIDR!], node.Spec.PodCIDRs!);
        return node.Spec.PodCIDR!;
    }

    private Task<IAsyncDisposable> RunAsync(NodeIpamOptions? options = null) =>
        _server.RunControllerAsync(_client, c => new NodeIpamController(c, options));

    [Fact]
    public async Task New_nodes_get_free_cidrs_and_cidrs_already_set_are_kept()
    {
        // There before the controller starts: one in the range (marked used, not reassigned) and one of a simulated
        // node outside it (ignored).
        await NodeAsync("old", "10.42.0.0/24");
        await NodeAsync("sim-node-0", "10.244.0.0/24");
        await NodeAsync("new");
        await using (await RunAsync())
        {
            Assert.Equal("10.42.1.0/24", await CidrOfAsync("new"));
            await NodeAsync("later");
            Assert.Equal("10.42.2.0/24", await CidrOfAsync("later"));
        }

        Assert.Equal("10.42.0.0/24", (await _client.Resource<Node>().GetAsync(null, "old", CancellationToken.None)).Spec!.PodCIDR);
        Assert.Equal("10.244.0.0/24", (await _client.Resource<Node>().GetAsync(null, "sim-node-0", CancellationToken.None)).Spec!.PodCIDR);

        // A restarted controller learns every CIDR in use from the nodes before it allocates.
        await NodeAsync("after-restart");
        await using (await RunAsync())
        {
            Assert.Equal("10.42.3.0/24", await CidrOfAsync("after-restart"));
        }
    }

    [Fact]
    public async Task The_cluster_cidr_and_mask_size_come_from_the_options()
    {
        await using var running = await RunAsync(new NodeIpamOptions { ClusterCidr = "172.30.0.0/20", NodeCidrMaskSize = 26 });
        await NodeAsync("a");
        Assert.Equal("172.30.0.0/26", await CidrOfAsync("a"));
        await NodeAsync("b");
        Assert.Equal("172.30.0.64/26", await CidrOfAsync("b"));
    }

    [Fact]
    public async Task A_full_range_records_CIDRNotAvailable_until_a_deleted_node_frees_a_cidr()
    {
        await using var events = await EventWatch.StartAsync(_client);
        await using var running = await RunAsync(new NodeIpamOptions { ClusterCidr = "10.42.0.0/23", NodeCidrMaskSize = 24 });
        await NodeAsync("a");
        Assert.Equal("10.42.0.0/24", await CidrOfAsync("a"));
        await NodeAsync("b");
        Assert.Equal("10.42.1.0/24", await CidrOfAsync("b"));

        await NodeAsync("c");
        var full = await events.WaitAsync(e => e.InvolvedObject?.Name == "c" && e.Reason == NodeIpamController.CidrNotAvailable);
        Assert.Equal("Node c status is now: CIDRNotAvailable", full.Message);
        Assert.Equal("Normal", full.Type);
        Assert.Equal("Node", full.InvolvedObject!.Kind);
        Assert.Null((await _client.Resource<Node>().GetAsync(null, "c", CancellationToken.None)).Spec?.PodCIDR);

        await _client.Resource<Node>().DeleteAsync(null, "a", null, CancellationToken.None);
        Assert.Equal("10.42.0.0/24", await CidrOfAsync("c"));
    }

    /// <summary>Events in "default" (where events of cluster-scoped objects go) as a watch delivers them.</summary>
    private sealed class EventWatch : IAsyncDisposable
    {
        private readonly SharedInformerFactory _informers;
        private readonly SharedInformer<Event> _informer;
        private readonly CancellationTokenSource _stop = new();

        private EventWatch(KubeClient client)
        {
            _informers = new SharedInformerFactory(client, new InformerOptions { Namespace = "default" });
            _informer = _informers.Informer<Event>(client.Resource<Event>().Resource, new InformerOptions { Namespace = "default" });
        }

        public static async Task<EventWatch> StartAsync(KubeClient client)
        {
            var watch = new EventWatch(client);
            watch._informers.Start(watch._stop.Token);
            await watch._informer.WaitForSyncAsync(watch._stop.Token);
            return watch;
        }

        public async Task<Event> WaitAsync(Func<Event, bool> match)
        {
            var found = new TaskCompletionSource<Event>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Check(Event e)
            {
                if (match(e))
                {
                    found.TrySetResult(e);
                }
            }

            using var registration = _informer.AddEventHandler(onAdd: Check, onUpdate: (_, e) => Check(e));
            try
            {
                return await found.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                var seen = string.Join("\n", _informer.Lister.List().Select(e => $"{e.InvolvedObject?.Name} {e.Reason}: {e.Message}"));
                Assert.Fail($"no matching event within 20 s; seen:\n{seen}");
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _informers.DisposeAsync();
            _stop.Dispose();
        }
    }
}
