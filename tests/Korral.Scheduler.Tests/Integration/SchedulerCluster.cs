using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Controllers.Tests.Manager;
using Korral.Scheduler.Hosting;
using Korral.Scheduler.Scheduling;

namespace Korral.Scheduler.Tests.Integration;

/// <summary>
/// A real API server in-process with the scheduler running against it (no leader election, fast backoff); nodes are
/// registered by the test with the resources, labels and taints it needs.
/// </summary>
public sealed class SchedulerCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private SchedulerCluster(TestApiServer server, KubeClient client)
    {
        Server = server;
        Client = client;
    }

    public TestApiServer Server { get; }

    public KubeClient Client { get; }

    public SchedulerHost Host { get; private set; } = null!;

    public static async Task<SchedulerCluster> StartAsync(Func<SchedulerOptions, SchedulerOptions>? configure = null)
    {
        var server = await TestApiServer.StartAsync();
        var cluster = new SchedulerCluster(server, server.NewClient());
        var options = new SchedulerOptions
        {
            Log = server.Log,
            Queue = new Korral.Scheduler.Queue.SchedulingQueueOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400) },
        };
        cluster.Host = new SchedulerHost(server.NewClient("system:kube-scheduler"), new SchedulerHostOptions
        {
            LeaderElect = false,
            Scheduler = configure is null ? options : configure(options),
        });
        cluster._running = cluster.Host.RunAsync(cluster._stop.Token);
        await cluster.Host.Started.WaitAsync(TimeSpan.FromSeconds(30));
        return cluster;
    }

    public async Task<Node> AddNodeAsync(string name, string cpu = "4", string memory = "32Gi", int pods = 110, IDictionary<string, string>? labels = null,
        IList<Taint>? taints = null, bool ready = true)
    {
        var node = Fixtures.TestPods.Node(name, cpu, memory, pods, labels);
        node.Spec = new NodeSpec { Taints = taints };
        var allocatable = node.Status!.Allocatable;
        node.Status = null;
        await Client.Resource<Node>().CreateAsync(node, CancellationToken.None);
        var status = new NodeStatus
        {
            Capacity = allocatable,
            Allocatable = allocatable,
            Conditions = [new NodeCondition { Type = "Ready", Status = ready ? "True" : "False", Reason = "Test" }],
        };
        return await Client.Resource<Node>().PatchStatusAsync(null, name, PatchType.Merge, KubeJson.Serialize(new { status }), CancellationToken.None);
    }

    public Task<Pod> CreatePodAsync(Pod pod) => Client.Resource<Pod>().CreateAsync(pod, CancellationToken.None);

    /// <summary>Waits until the pod is bound and returns its node.</summary>
    public async Task<string> BoundNodeAsync(string name, string ns = "default")
    {
        var pod = await Until.ObjectAsync<Pod>(Client, ns, name, p => !string.IsNullOrEmpty(p?.Spec?.NodeName), what: "a bound pod");
        return pod!.Spec!.NodeName!;
    }

    /// <summary>Waits until the pod carries PodScheduled=False and returns that condition's message.</summary>
    public async Task<string> UnschedulableMessageAsync(string name, Func<string, bool>? matching = null, string ns = "default")
    {
        var pod = await Until.ObjectAsync<Pod>(Client, ns, name,
            p => p?.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled") is { Status: "False", Message: { } m } && (matching?.Invoke(m) ?? true),
            what: "an unschedulable pod");
        var condition = pod!.Status!.Conditions!.First(c => c.Type == "PodScheduled");
        Assert.Equal("Unschedulable", condition.Reason);
        return condition.Message!;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
