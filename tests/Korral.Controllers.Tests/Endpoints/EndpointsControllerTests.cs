using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Controllers.ServiceEndpoints;
using Korral.Controllers.Tests.Manager;
using static Korral.Controllers.Tests.ServiceEndpoints.EndpointsFixtures;
using CoreEndpoints = Korral.Api.Models.CoreV1.Endpoints;

namespace Korral.Controllers.Tests.ServiceEndpoints;

/// <summary>The Endpoints controller against a real API server: content, readiness changes, deletions, selectorless services.</summary>
public sealed class EndpointsControllerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private IAsyncDisposable _controller = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = _server.NewClient();
        _controller = await _server.RunControllerAsync(_client, c => new EndpointsController(c));
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static string Addresses(IEnumerable<EndpointAddress>? addresses) =>
        string.Join(",", (addresses ?? []).Select(a => $"{a.Ip}@{a.NodeName}/{a.TargetRef?.Name}"));

    private static string Describe(CoreEndpoints? e) =>
        e is null ? "(none)" : string.Join(" | ", (e.Subsets ?? []).Select(s =>
            $"ready[{Addresses(s.Addresses)}] notReady[{Addresses(s.NotReadyAddresses)}] ports[{string.Join(",", (s.Ports ?? []).Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))}]"));

    private Task<CoreEndpoints?> UntilAsync(string ns, string name, string expected) =>
        Until.ObjectAsync<CoreEndpoints>(_client, ns, name, e => Describe(e) == expected, what: $"endpoints = {expected}");

    [Fact]
    public async Task Ready_and_not_ready_pods_with_named_ports_then_readiness_changes_and_deletion()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "ep");
        await CreateRunningAsync(_client, Pod(ns, "a", "web", "node-a"), "10.1.0.12", ready: true);
        await CreateRunningAsync(_client, Pod(ns, "b", "web", "node-b"), "10.1.0.3", ready: false);
        await CreateRunningAsync(_client, Pod(ns, "other", "db"), "10.1.0.4", ready: true);
        await _client.Resource<Service>().CreateAsync(Service(ns, "web", new Dictionary<string, string> { ["app"] = "web" },
            new ServicePort { Name = "http", Port = 80, TargetPort = "http" },
            new ServicePort { Name = "metrics", Port = 9000, TargetPort = 9090 }), CancellationToken.None);

        var endpoints = await UntilAsync(ns, "web", "ready[10.1.0.12@node-a/a] notReady[10.1.0.3@node-b/b] ports[http:8080/TCP,metrics:9090/TCP]");
        var address = endpoints!.Subsets![0].Addresses![0];
        Assert.Equal("Pod", address.TargetRef!.Kind);
        Assert.Equal(ns, address.TargetRef.Namespace);
        Assert.False(string.IsNullOrEmpty(address.TargetRef.Uid));
        Assert.Equal("front", endpoints.Metadata!.Labels!["tier"]);

        await SetReadyAsync(_client, ns, "b", ready: true);
        await UntilAsync(ns, "web", "ready[10.1.0.3@node-b/b,10.1.0.12@node-a/a] notReady[] ports[http:8080/TCP,metrics:9090/TCP]");

        await SetReadyAsync(_client, ns, "a", ready: false);
        await UntilAsync(ns, "web", "ready[10.1.0.3@node-b/b] notReady[10.1.0.12@node-a/a] ports[http:8080/TCP,metrics:9090/TCP]");

        await DeleteNowAsync(_client, ns, "a");
        await UntilAsync(ns, "web", "ready[10.1.0.3@node-b/b] notReady[] ports[http:8080/TCP,metrics:9090/TCP]");

        // A graceful deletion (the pod stays, terminating) takes the pod out at once.
        await _client.Resource<Pod>().DeleteAsync(ns, "b", CancellationToken.None);
        await UntilAsync(ns, "web", "");
    }

    [Fact]
    public async Task Pods_whose_named_port_is_missing_are_packed_into_their_own_subset()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "ep");
        var plain = Pod(ns, "plain", "web");
        plain.Spec!.Containers![0].Ports = null;
        await CreateRunningAsync(_client, plain, "10.2.0.2", ready: true);
        await CreateRunningAsync(_client, Pod(ns, "named", "web"), "10.2.0.3", ready: true);
        await _client.Resource<Service>().CreateAsync(Service(ns, "web", new Dictionary<string, string> { ["app"] = "web" },
            new ServicePort { Name = "http", Port = 80, TargetPort = "http" },
            new ServicePort { Name = "raw", Port = 81, TargetPort = 7000 }), CancellationToken.None);

        await UntilAsync(ns, "web",
            "ready[10.2.0.3@node-a/named] notReady[] ports[http:8080/TCP,raw:7000/TCP] | ready[10.2.0.2@node-a/plain] notReady[] ports[raw:7000/TCP]");
    }

    [Fact]
    public async Task Services_without_selector_are_left_alone_and_deleted_services_lose_their_endpoints()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "ep");
        var manual = new CoreEndpoints
        {
            Metadata = new() { Name = "external", Namespace = ns },
            Subsets = [new EndpointSubset { Addresses = [new EndpointAddress { Ip = "192.168.9.9" }], Ports = [new EndpointPort { Port = 5432 }] }],
        };
        await _client.Resource<CoreEndpoints>().CreateAsync(manual, CancellationToken.None);
        await _client.Resource<Service>().CreateAsync(Service(ns, "external", null, new ServicePort { Port = 5432 }), CancellationToken.None);
        await CreateRunningAsync(_client, Pod(ns, "a", "web"), "10.3.0.2", ready: true);
        await _client.Resource<Service>().CreateAsync(Service(ns, "web", new Dictionary<string, string> { ["app"] = "web" },
            new ServicePort { Name = "http", Port = 80, TargetPort = 8080 }), CancellationToken.None);
        await UntilAsync(ns, "web", "ready[10.3.0.2@node-a/a] notReady[] ports[http:8080/TCP]");

        var external = await _client.Resource<CoreEndpoints>().GetAsync(ns, "external", CancellationToken.None);
        Assert.Equal("192.168.9.9", Assert.Single(Assert.Single(external.Subsets!).Addresses!).Ip);

        await _client.Resource<Service>().DeleteAsync(ns, "web", CancellationToken.None);
        await Until.ObjectAsync<CoreEndpoints>(_client, ns, "web", e => e is null, what: "endpoints deleted");
    }

    [Fact]
    public void Build_caps_addresses_and_reports_truncation()
    {
        var service = Service("ns", "big", new Dictionary<string, string> { ["app"] = "web" }, new ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
        var pods = Enumerable.Range(0, 1005).Select(i =>
        {
            var pod = Pod("ns", $"p{i}", "web");
            pod.Metadata!.Uid = $"uid-{i}";
            pod.Status = new PodStatus { Phase = "Running", PodIP = $"10.{i / 250}.{i % 250}.1", Conditions = [new PodCondition { Type = "Ready", Status = "True" }] };
            return pod;
        });

        var (subsets, truncated) = EndpointsController.Build(service, pods);

        Assert.True(truncated);
        Assert.Equal(EndpointsController.MaxAddresses, subsets.Sum(s => s.Addresses?.Count ?? 0));
    }
}
