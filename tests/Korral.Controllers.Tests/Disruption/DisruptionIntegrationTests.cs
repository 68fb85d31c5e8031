using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client;
using Korral.Controllers.Disruption;
using Korral.Controllers.Tests.Manager;

namespace Korral.Controllers.Tests.Disruption;

/// <summary>
/// The disruption controller and the API server's eviction subresource together, on a real in-process server: the
/// controller's status lets evictions through one at a time, an eviction's record keeps the controller from counting the
/// evicted pod, and a spec change is refused until the controller has observed it.
/// </summary>
public sealed class DisruptionIntegrationTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = _server.NewClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task RunningPodAsync(string ns, string name)
    {
        await _client.Resource<Pod>().CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new PodSpec { NodeName = "node-1", Containers = [new Container { Name = "c", Image = "busybox" }] },
        }, CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await _client.Resource<Pod>().PatchStatusAsync(ns, name, PatchType.StrategicMerge,
            $$$"""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""", CancellationToken.None);
    }

    private Task<PodDisruptionBudget?> BudgetAsync(string ns, Func<PodDisruptionBudgetStatus, bool> condition, string what) =>
        Until.ObjectAsync<PodDisruptionBudget>(_client, ns, "pdb", b => b?.Status is { } s && condition(s), TimeSpan.FromSeconds(30), what);

    private Task EvictAsync(string ns, string name) =>
        _client.Resource<Pod>().EvictAsync(ns, name, new Eviction { Metadata = new ObjectMeta { Name = name, Namespace = ns } }, CancellationToken.None);

    [Fact]
    public async Task Evictions_go_through_one_disruption_at_a_time_as_the_controller_allows()
    {
        var ns = await _server.CreateNamespaceAsync(_client, "pdb");
        await using var controller = await _server.RunControllerAsync(_client, c => new DisruptionController(c));
        await RunningPodAsync(ns, "web-0");
        await RunningPodAsync(ns, "web-1");
        await _client.Resource<PodDisruptionBudget>().CreateAsync(new PodDisruptionBudget
        {
            Metadata = new ObjectMeta { Name = "pdb", Namespace = ns },
            Spec = new PodDisruptionBudgetSpec
            {
                MinAvailable = IntOrString.FromInt(1),
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        }, CancellationToken.None);

        var ready = await BudgetAsync(ns, s => s is { ObservedGeneration: 1, ExpectedPods: 2, CurrentHealthy: 2, DesiredHealthy: 1, DisruptionsAllowed: 1 },
            "the first status");
        Assert.Equal(("True", "SufficientPods"), (ready!.Status!.Conditions!.Single().Status, ready.Status.Conditions!.Single().Reason));

        // The first eviction takes the one disruption; the controller then sees the pod being deleted and drops its record.
        await EvictAsync(ns, "web-0");
        await BudgetAsync(ns, s => s is { CurrentHealthy: 1, DisruptionsAllowed: 0, DisruptedPods: null }, "the evicted pod no longer counted");

        // The second is refused, and changes nothing.
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => EvictAsync(ns, "web-1"));
        Assert.True(refused.IsTooManyRequests, refused.Message);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", refused.Status.Message);
        Assert.Equal("The disruption budget pdb needs 1 healthy pods and has 1 currently", refused.Status.Details!.Causes!.Single().Message);
        Assert.Null((await _client.Resource<Pod>().GetAsync(ns, "web-1", CancellationToken.None)).Metadata!.DeletionTimestamp);

        // Lowering minAvailable lets it go once the controller has observed the new generation.
        await _client.Resource<PodDisruptionBudget>().PatchAsync(ns, "pdb", PatchType.Merge, """{"spec":{"minAvailable":0}}""", CancellationToken.None);
        await BudgetAsync(ns, s => s is { ObservedGeneration: 2, DisruptionsAllowed: 1 }, "generation 2 observed");
        await EvictAsync(ns, "web-1");
        Assert.NotNull((await _client.Resource<Pod>().GetAsync(ns, "web-1", CancellationToken.None)).Metadata!.DeletionTimestamp);
    }
}
