using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Proxy.LoadBalancer;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Integration;

/// <summary>The proxy and the LoadBalancer status writer against a real in-process API server (commands recorded, not run).</summary>
public sealed class ServiceProxyIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource _stop = new();
    private TestApiServer _server = null!;

    private KubeClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ServiceAndSliceChangesReachIptables()
    {
        var runner = new RecordingRunner();
        await using var informers = new SharedInformerFactory(Client);
        var options = new ProxyOptions
        {
            NodeName = ThisNode,
            ServiceCidr = "10.96.0.0/12",
            MinSyncPeriod = TimeSpan.FromMilliseconds(50),
            ManageSysctls = false,
        };
        var proxy = new ServiceProxy(options, informers, runner);
        informers.Start(_stop.Token);
        var running = proxy.RunAsync(_stop.Token);

        var service = await Client.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Namespace = "default", Name = "web" },
            Spec = new ServiceSpec { Ports = [Port("http", 80, 8080)] },
        }, CancellationToken.None);
        var clusterIP = service.Spec!.ClusterIP!;
        await Eventually.TrueAsync(() => Task.FromResult(LastRestore(runner).Contains($"-d {clusterIP}/32 -p tcp -m comment --comment \"default/web:http has no endpoints\"", StringComparison.Ordinal)),
            Timeout, () => "no REJECT rule for the new service:\n" + LastRestore(runner));

        await Client.Resource<EndpointSlice>().CreateAsync(Slice("web", "web-abc", [SlicePort("http", 8080)], Ready("10.42.1.5")), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(LastRestore(runner).Contains("--to-destination 10.42.1.5:8080", StringComparison.Ordinal)),
            Timeout, () => "no DNAT to the endpoint:\n" + LastRestore(runner));

        // The guard route was set up by the first (full) sync.
        Assert.Contains(runner.Calls, c => c.Command == "ip route replace 10.96.0.0/12 dev korral-svc0");

        await Client.Resource<Service>().DeleteAsync("default", "web", null, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(!LastRestore(runner).Contains(clusterIP + "/32", StringComparison.Ordinal)),
            Timeout, () => "the deleted service's rules stayed:\n" + LastRestore(runner));
        Assert.Contains("-X KORRAL-SVC-", LastRestore(runner), StringComparison.Ordinal);

        await _stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }

    [Fact]
    public async Task LoadBalancerServicesGetTheNodesAddresses()
    {
        await CreateNodeAsync("node-1", ("InternalIP", "192.0.2.11"));
        await CreateNodeAsync("node-2", ("InternalIP", "192.0.2.12"), ("ExternalIP", "198.51.100.2"));
        await using var informers = new SharedInformerFactory(Client);
        var controller = new LoadBalancerStatusController(Client, informers, _ => { });
        informers.Start(_stop.Token);
        var running = controller.RunAsync(_stop.Token);

        await Client.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Namespace = "default", Name = "lb" },
            Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [Port("http", 80, 8080)] },
        }, CancellationToken.None);
        await Client.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Namespace = "default", Name = "other-class" },
            Spec = new ServiceSpec { Type = "LoadBalancer", LoadBalancerClass = "example.com/lb", Ports = [Port("http", 80, 8080)] },
        }, CancellationToken.None);

        await WaitForIngressAsync("lb", "192.0.2.11,198.51.100.2");

        // A third node joins; then the service stops being a LoadBalancer.
        await CreateNodeAsync("node-3", ("InternalIP", "192.0.2.13"));
        await WaitForIngressAsync("lb", "192.0.2.11,192.0.2.13,198.51.100.2");
        var lb = await Client.Resource<Service>().GetAsync("default", "lb", CancellationToken.None);
        lb.Spec!.Type = "NodePort";
        lb.Spec.AllocateLoadBalancerNodePorts = null;
        await Client.Resource<Service>().UpdateAsync(lb, CancellationToken.None);
        await WaitForIngressAsync("lb", "");

        Assert.Null((await Client.Resource<Service>().GetAsync("default", "other-class", CancellationToken.None)).Status?.LoadBalancer?.Ingress);
        await _stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }

    private async Task WaitForIngressAsync(string name, string expected)
    {
        var last = "";
        await Eventually.TrueAsync(
            async () =>
            {
                var service = await Client.Resource<Service>().GetAsync("default", name, CancellationToken.None);
                last = string.Join(',', LoadBalancerAddresses.Current(service));
                return last == expected;
            },
            Timeout,
            () => $"ingress of {name} is [{last}], expected [{expected}]");
    }

    private async Task CreateNodeAsync(string name, params (string Type, string Address)[] addresses)
    {
        var node = await Client.Resource<Node>().CreateAsync(new Node { Metadata = new ObjectMeta { Name = name } }, CancellationToken.None);
        node.Status = new NodeStatus
        {
            Addresses = [.. addresses.Select(a => new NodeAddress { Type = a.Type, Address = a.Address })],
            Conditions = [new NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady" }],
        };
        await Client.Resource<Node>().UpdateStatusAsync(node, CancellationToken.None);
    }

    private static string LastRestore(RecordingRunner runner) => runner.Restores is [.., var last] ? last : "";
}
