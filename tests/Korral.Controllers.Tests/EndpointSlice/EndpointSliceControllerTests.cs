using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.EndpointSlices;
using Korral.Controllers.Tests.Manager;
using static Korral.Controllers.Tests.ServiceEndpoints.EndpointsFixtures;
using Slice = Korral.Api.Models.DiscoveryV1.EndpointSlice;

namespace Korral.Controllers.Tests.EndpointSlices;

/// <summary>The EndpointSlice controller against a real API server, and its slice planning on its own.</summary>
public sealed class EndpointSliceControllerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private IAsyncDisposable _controller = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = _server.NewClient();
        _controller = await _server.RunControllerAsync(_client, c => new EndpointSliceController(c));
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static string Describe(IEnumerable<Slice> slices) =>
        string.Join(" | ", slices.OrderBy(s => s.Metadata!.Name, StringComparer.Ordinal).Select(s =>
            $"[{string.Join(",", (s.Ports ?? []).Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))}] " +
            string.Join(",", (s.Endpoints ?? []).OrderBy(e => e.TargetRef?.Name, StringComparer.Ordinal).Select(e =>
                $"{e.Addresses![0]}@{e.NodeName}/{e.TargetRef?.Name}:{Flag(e.Conditions?.Ready, "r")}{Flag(e.Conditions?.Serving, "s")}{Flag(e.Conditions?.Terminating, "t")}"))));

    private static string Flag(bool? value, string name) => value == true ? name : "-";

    /// <summary>Waits (watch-driven) until the service's slices read <paramref name="expected"/>.</summary>
    private async Task<List<Slice>> UntilAsync(string ns, string service, string expected)
    {
        await using var informers = new SharedInformerFactory(_client);
        var informer = informers.Informer<Slice>(_client.Resource<Slice>().Resource,
            new InformerOptions { Namespace = ns, LabelSelector = $"{EndpointSliceController.ServiceNameLabel}={service}" });
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var last = "";

        void Check()
        {
            last = Describe(informer.Lister.List(ns));
            if (last == expected)
            {
                done.TrySetResult();
            }
        }

        informer.AddEventHandler(onAdd: _ => Check(), onUpdate: (_, _) => Check(), onDelete: _ => Check());
        using var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);
        Check();
        if (await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(20))) != done.Task)
        {
            Assert.Fail($"slices of {ns}/{service}: expected\n{expected}\nlast seen\n{last}");
        }

        return informer.Lister.List(ns);
    }

    [Fact]
    public async Task Slices_follow_pod_readiness_termination_and_deletion()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "eps");
        await CreateRunningAsync(_client, Pod(ns, "a", "web", "node-a"), "10.1.0.2", ready: true);
        await CreateRunningAsync(_client, Pod(ns, "b", "web", "node-b"), "10.1.0.3", ready: false);
        var service = await _client.Resource<Service>().CreateAsync(Service(ns, "web", new Dictionary<string, string> { ["app"] = "web" },
            new ServicePort { Name = "http", Port = 80, TargetPort = "http" }), CancellationToken.None);

        var slices = await UntilAsync(ns, "web", "[http:8080/TCP] 10.1.0.2@node-a/a:rs-,10.1.0.3@node-b/b:---");
        var slice = Assert.Single(slices);
        Assert.StartsWith("web-", slice.Metadata!.Name);
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(EndpointSliceController.ManagedBy, slice.Metadata.Labels![EndpointSliceController.ManagedByLabel]);
        Assert.Equal("front", slice.Metadata.Labels["tier"]);
        var owner = Assert.Single(slice.Metadata.OwnerReferences!);
        Assert.Equal(("Service", "web", service.Metadata!.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
        Assert.Equal("Pod", slice.Endpoints![0].TargetRef!.Kind);

        await SetReadyAsync(_client, ns, "b", ready: true);
        await SetReadyAsync(_client, ns, "a", ready: false);
        await UntilAsync(ns, "web", "[http:8080/TCP] 10.1.0.2@node-a/a:---,10.1.0.3@node-b/b:rs-");

        // Graceful deletion: the pod stays a while, terminating; a ready terminating pod is serving but not ready.
        await _client.Resource<Pod>().DeleteAsync(ns, "b", CancellationToken.None);
        await UntilAsync(ns, "web", "[http:8080/TCP] 10.1.0.2@node-a/a:---,10.1.0.3@node-b/b:-st");

        await DeleteNowAsync(_client, ns, "b");
        await DeleteNowAsync(_client, ns, "a");
        await UntilAsync(ns, "web", "[] ");

        await _client.Resource<Service>().DeleteAsync(ns, "web", CancellationToken.None);
        await UntilAsync(ns, "web", "");
    }

    [Fact]
    public async Task More_than_a_hundred_pods_fill_slices_of_at_most_a_hundred()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "eps");
        await _client.Resource<Service>().CreateAsync(Service(ns, "many", new Dictionary<string, string> { ["app"] = "many" },
            new ServicePort { Name = "http", Port = 80, TargetPort = 8080 }), CancellationToken.None);
        await Parallel.ForEachAsync(Enumerable.Range(0, 130), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await CreateRunningAsync(_client, Pod(ns, $"p{i:000}", "many"), $"10.9.{i / 200}.{i % 200 + 1}", ready: true));

        await using var informers = new SharedInformerFactory(_client);
        var informer = informers.Informer<Slice>(_client.Resource<Slice>().Resource, new InformerOptions { Namespace = ns });
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            var counts = informer.Lister.List(ns).Select(s => s.Endpoints?.Count ?? 0).ToList();
            if (counts.Sum() == 130 && counts.All(c => c <= EndpointSliceController.MaxEndpointsPerSlice))
            {
                done.TrySetResult();
            }
        }

        informer.AddEventHandler(onAdd: _ => Check(), onUpdate: (_, _) => Check(), onDelete: _ => Check());
        using var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);
        Check();
        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == done.Task,
            $"slices: {string.Join(", ", informer.Lister.List(ns).Select(s => $"{s.Metadata!.Name}={s.Endpoints?.Count ?? 0}"))}");
        Assert.Equal(2, informer.Lister.List(ns).Count);
    }

    [Fact]
    public void Plan_keeps_endpoints_in_place_and_writes_nothing_when_nothing_changed()
    {
        var service = Service("ns", "svc", new Dictionary<string, string> { ["app"] = "web" }, new ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
        service.Metadata!.Uid = "svc-uid";
        var pods = Enumerable.Range(0, 250).Select(i =>
        {
            var pod = Pod("ns", $"p{i}", "web");
            pod.Metadata!.Uid = $"uid-{i}";
            pod.Status = new PodStatus { Phase = "Running", PodIP = $"10.0.{i / 200}.{i % 200 + 1}", Conditions = [new PodCondition { Type = "Ready", Status = "True" }] };
            return pod;
        }).ToList();

        var first = EndpointSliceController.Plan(service, [], EndpointSliceController.Desired(service, pods));
        Assert.Equal([100, 100, 50], first.Create.Select(s => s.Endpoints!.Count));
        Assert.Empty(first.Update);
        Assert.Empty(first.Delete);

        var existing = first.Create.Select((s, i) =>
        {
            s.Metadata!.Name = $"svc-{i}";
            return s;
        }).ToList();
        var again = EndpointSliceController.Plan(service, existing, EndpointSliceController.Desired(service, pods));
        Assert.Equal((0, 0, 0), (again.Create.Count, again.Update.Count, again.Delete.Count));

        // One pod gone and one new: only the slices involved change, and the new one fills the gap.
        pods.RemoveAt(0);
        var added = Pod("ns", "new", "web");
        added.Metadata!.Uid = "uid-new";
        added.Status = new PodStatus { Phase = "Running", PodIP = "10.0.9.9", Conditions = [new PodCondition { Type = "Ready", Status = "True" }] };
        pods.Add(added);
        var changed = EndpointSliceController.Plan(service, existing, EndpointSliceController.Desired(service, pods));
        Assert.Empty(changed.Create);
        Assert.Empty(changed.Delete);
        Assert.Equal(["svc-0"], changed.Update.Select(s => s.Metadata!.Name));
    }
}
