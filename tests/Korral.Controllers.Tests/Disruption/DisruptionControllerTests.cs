using Korral.Api.Models;
using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.Disruption;
using Korral.Controllers.Tests.Common;

namespace Korral.Controllers.Tests.Disruption;

/// <summary>The disruption controller over seeded caches, a recording writer and a manual clock (style.md habit 11).</summary>
public sealed class DisruptionControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Indexer<PodDisruptionBudget> _budgets = new();
    private readonly Indexer<Pod> _pods = new();
    private readonly Indexer<ReplicaSet> _replicaSets = new();
    private readonly Indexer<Deployment> _deployments = new();
    private readonly Indexer<StatefulSet> _statefulSets = new();
    private readonly Indexer<ReplicationController> _replicationControllers = new();
    private readonly RecordingEvents _events = new();
    private readonly ManualTime _time = new(T0);
    private readonly FakeDisruptionWriter _writer;
    private readonly DisruptionController _controller;

    public DisruptionControllerTests()
    {
        _writer = new FakeDisruptionWriter(_budgets);
        _controller = new DisruptionController(new Lister<PodDisruptionBudget>(_budgets), _pods, new Lister<ReplicaSet>(_replicaSets),
            new Lister<Deployment>(_deployments), new Lister<StatefulSet>(_statefulSets), new Lister<ReplicationController>(_replicationControllers),
            _writer, _events, _time, _ => { });
    }

    private static Dictionary<string, string> Web => new() { ["app"] = "web" };

    private PodDisruptionBudget Budget(IntOrString? minAvailable = null, IntOrString? maxUnavailable = null, long generation = 1,
        PodDisruptionBudgetStatus? status = null, LabelSelector? selector = null, string name = "pdb")
    {
        var budget = new PodDisruptionBudget
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "ns", Uid = $"uid-{name}", Generation = generation, ResourceVersion = "1" },
            Spec = new PodDisruptionBudgetSpec
            {
                MinAvailable = minAvailable,
                MaxUnavailable = maxUnavailable,
                Selector = selector ?? new LabelSelector { MatchLabels = Web },
            },
            Status = status,
        };
        _budgets.Upsert(budget);
        return budget;
    }

    private static OwnerReference ControllerRef(string apiVersion, string kind, string name) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = $"uid-{name}", Controller = true };

    private Pod Pod(string name, OwnerReference? owner = null, bool ready = true, bool deleting = false, Dictionary<string, string>? labels = null)
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = "ns", Uid = $"uid-{name}", ResourceVersion = "1", Labels = labels ?? Web,
                OwnerReferences = owner is null ? null : [owner],
                DeletionTimestamp = deleting ? T0 : null,
            },
            Spec = new PodSpec { NodeName = "node-1" },
            Status = new PodStatus
            {
                Phase = "Running",
                Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = T0 }],
            },
        };
        _pods.Upsert(pod);
        return pod;
    }

    /// <summary>Creates the controller the case names (replicas 4) and returns the owner reference its pods carry.</summary>
    private OwnerReference Owner(string kind)
    {
        static ObjectMeta Meta(string name, OwnerReference? owner = null) =>
            new() { Name = name, Namespace = "ns", Uid = $"uid-{name}", OwnerReferences = owner is null ? null : [owner] };

        switch (kind)
        {
            case "Deployment":
                _deployments.Upsert(new Deployment { Metadata = Meta("web"), Spec = new DeploymentSpec { Replicas = 4 } });
                _replicaSets.Upsert(new ReplicaSet { Metadata = Meta("web-1", ControllerRef("apps/v1", "Deployment", "web")), Spec = new ReplicaSetSpec { Replicas = 9 } });
                return ControllerRef("apps/v1", "ReplicaSet", "web-1");
            case "ReplicaSet of a deleted Deployment":
                _replicaSets.Upsert(new ReplicaSet { Metadata = Meta("web-1", ControllerRef("apps/v1", "Deployment", "gone")), Spec = new ReplicaSetSpec { Replicas = 4 } });
                return ControllerRef("apps/v1", "ReplicaSet", "web-1");
            case "ReplicaSet":
                _replicaSets.Upsert(new ReplicaSet { Metadata = Meta("web-1"), Spec = new ReplicaSetSpec { Replicas = 4 } });
                return ControllerRef("apps/v1", "ReplicaSet", "web-1");
            case "StatefulSet":
                _statefulSets.Upsert(new StatefulSet { Metadata = Meta("web"), Spec = new StatefulSetSpec { Replicas = 4 } });
                return ControllerRef("apps/v1", "StatefulSet", "web");
            case "ReplicationController":
                _replicationControllers.Upsert(new ReplicationController { Metadata = Meta("web"), Spec = new ReplicationControllerSpec { Replicas = 4 } });
                return ControllerRef("v1", "ReplicationController", "web");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static IntOrString? Parse(string? value) =>
        value is null ? null : int.TryParse(value, out var i) ? IntOrString.FromInt(i) : IntOrString.FromString(value);

    private PodDisruptionBudgetStatus LastStatus => Assert.IsType<PodDisruptionBudgetStatus>(_writer.BudgetWrites[^1].Status);

    [Theory]
    // minAvailable as a number counts the selected pods, whatever their controllers' scale.
    [InlineData("2", null, "Deployment", 3, 3, 3, 2, 1)]
    // Percentages and maxUnavailable use the controllers' scale (4 here), rounding up.
    [InlineData("50%", null, "Deployment", 3, 3, 4, 2, 1)]
    [InlineData("60%", null, "ReplicaSet", 3, 3, 4, 3, 0)]
    [InlineData(null, "1", "StatefulSet", 4, 4, 4, 3, 1)]
    [InlineData(null, "30%", "ReplicationController", 4, 4, 4, 2, 2)]
    [InlineData(null, "1", "ReplicaSet of a deleted Deployment", 4, 2, 4, 3, 0)]
    [InlineData(null, "100%", "Deployment", 3, 3, 4, 0, 3)]
    public async Task The_status_follows_the_spec_and_the_controllers_scale(string? minAvailable, string? maxUnavailable, string ownerKind, int pods,
        int ready, int expected, int desired, int allowed)
    {
        var owner = Owner(ownerKind);
        for (var i = 0; i < pods; i++)
        {
            Pod($"web-{i}", owner, ready: i < ready);
        }

        Budget(Parse(minAvailable), Parse(maxUnavailable), generation: 3);
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);

        var status = LastStatus;
        Assert.Equal((expected, desired, ready, allowed, 3L), (status.ExpectedPods, status.DesiredHealthy, status.CurrentHealthy, status.DisruptionsAllowed, status.ObservedGeneration));
        var condition = Assert.Single(status.Conditions!);
        Assert.Equal(allowed > 0 ? ("DisruptionAllowed", "True", "SufficientPods") : ("DisruptionAllowed", "False", "InsufficientPods"),
            (condition.Type, condition.Status, condition.Reason));
        Assert.Equal((T0, 3L, ""), (condition.LastTransitionTime, condition.ObservedGeneration, condition.Message));
        Assert.Null(status.DisruptedPods);
    }

    [Fact]
    public async Task An_unchanged_status_is_not_written_again_and_the_condition_moves_only_on_a_change()
    {
        var owner = Owner("ReplicaSet");
        Pod("web-0", owner);
        Pod("web-1", owner);
        Budget(minAvailable: 1);
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);
        Assert.Single(_writer.BudgetWrites);

        // One pod stops being ready: no disruption left, the condition flips with the time of the flip.
        _time.Advance(TimeSpan.FromMinutes(5));
        Pod("web-1", owner, ready: false);
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);
        Assert.Equal(2, _writer.BudgetWrites.Count);
        var condition = Assert.Single(LastStatus.Conditions!);
        Assert.Equal((0, "False", "InsufficientPods", T0.AddMinutes(5)), (LastStatus.DisruptionsAllowed, condition.Status, condition.Reason, condition.LastTransitionTime));
    }

    [Fact]
    public async Task Healthy_pods_are_ready_not_deleting_and_not_just_evicted()
    {
        var owner = Owner("ReplicaSet");
        Pod("ready", owner);
        Pod("unready", owner, ready: false);
        Pod("deleting", owner, deleting: true);
        Pod("evicted", owner);
        Pod("other-app", owner, labels: new Dictionary<string, string> { ["app"] = "db" });
        Budget(minAvailable: 1, status: new PodDisruptionBudgetStatus
        {
            ObservedGeneration = 1,
            DisruptedPods = new Dictionary<string, DateTimeOffset> { ["evicted"] = T0, ["deleting"] = T0, ["gone"] = T0 },
        });

        _time.Advance(TimeSpan.FromSeconds(30));
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);

        // 4 selected pods, 1 healthy; the entries of the deleting pod and of a pod that no longer exists are dropped.
        var status = LastStatus;
        Assert.Equal((4, 1, 1, 0), (status.ExpectedPods, status.CurrentHealthy, status.DesiredHealthy, status.DisruptionsAllowed));
        Assert.Equal(["evicted"], status.DisruptedPods!.Keys);

        // The controller looks again when the entry expires (90 s on).
        Assert.Equal(1, _controller.Queue.DelayedCount);
    }

    [Fact]
    public async Task An_evicted_pod_that_was_not_deleted_within_two_minutes_counts_again()
    {
        var owner = Owner("ReplicaSet");
        Pod("web-0", owner);
        Pod("web-1", owner);
        Budget(minAvailable: 1, status: new PodDisruptionBudgetStatus
        {
            ObservedGeneration = 1,
            DisruptedPods = new Dictionary<string, DateTimeOffset> { ["web-1"] = T0 },
        });

        _time.Advance(TimeSpan.FromSeconds(119));
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);
        Assert.Equal((1, 0), (LastStatus.CurrentHealthy, LastStatus.DisruptionsAllowed));
        Assert.Empty(_events.Lines);

        _time.Advance(TimeSpan.FromSeconds(2));
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);
        Assert.Equal((2, 1), (LastStatus.CurrentHealthy, LastStatus.DisruptionsAllowed));
        Assert.Null(LastStatus.DisruptedPods);
        Assert.Equal(["Warning NotDeleted Pod was expected by PDB ns/ns to be deleted but it wasn't"], _events.Lines);
    }

    [Fact]
    public async Task A_budget_matching_no_pods_allows_nothing_and_says_so()
    {
        Budget(minAvailable: 0);
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);

        Assert.Equal((0, 0, 0, 0), (LastStatus.ExpectedPods, LastStatus.CurrentHealthy, LastStatus.DesiredHealthy, LastStatus.DisruptionsAllowed));
        Assert.Equal(["Normal NoPods No matching pods found"], _events.Lines);
    }

    [Fact]
    public async Task Unmanaged_pods_are_reported_and_left_out_of_the_scale()
    {
        var owner = Owner("ReplicaSet");
        Pod("web-0", owner);
        Pod("stray");
        Budget(maxUnavailable: IntOrString.FromString("50%"));
        await _controller.SyncAsync("ns/pdb", CancellationToken.None);

        Assert.Equal((4, 2, 2, 0), (LastStatus.ExpectedPods, LastStatus.DesiredHealthy, LastStatus.CurrentHealthy, LastStatus.DisruptionsAllowed));
        Assert.Equal(
            ["Warning UnmanagedPods Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value."],
            _events.Lines);
    }

    public static TheoryData<string, string> Unscalable => new()
    {
        { "ReplicaSet not in the cache", "found no controllers for pod \"web-0\"" },
        { "Job", "jobs.batch does not implement the scale subresource" },
        { "unknown kind", "no matches for kind \"Widget\" in group \"example.com\"" },
    };

    [Theory]
    [MemberData(nameof(Unscalable))]
    public async Task When_the_scale_cannot_be_found_the_budget_fails_safe(string owner, string error)
    {
        Pod("web-0", owner switch
        {
            "Job" => ControllerRef("batch/v1", "Job", "job"),
            "unknown kind" => ControllerRef("example.com/v1", "Widget", "w"),
            _ => ControllerRef("apps/v1", "ReplicaSet", "missing"),
        });
        Budget(maxUnavailable: 1, status: new PodDisruptionBudgetStatus { ObservedGeneration = 1, DisruptionsAllowed = 3, CurrentHealthy = 4, DesiredHealthy = 1 });

        await _controller.SyncAsync("ns/pdb", CancellationToken.None);

        var status = LastStatus;
        Assert.Equal((0, 4, 1L), (status.DisruptionsAllowed, status.CurrentHealthy, status.ObservedGeneration));
        var condition = Assert.Single(status.Conditions!);
        Assert.Equal(("DisruptionAllowed", "False", "SyncFailed", error), (condition.Type, condition.Status, condition.Reason, condition.Message));
        Assert.Equal([$"Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: {error}"], _events.Lines);
    }

    [Fact]
    public async Task A_conflicting_write_is_retried_rather_than_failed_safe()
    {
        Pod("web-0", Owner("ReplicaSet"));
        Budget(minAvailable: 0);
        _writer.Fail = new KubeApiException(new Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" });

        await Assert.ThrowsAsync<KubeApiException>(() => _controller.SyncAsync("ns/pdb", CancellationToken.None));
        Assert.Empty(_writer.BudgetWrites);
    }

    [Fact]
    public async Task A_deleted_budget_is_nothing_to_do()
    {
        await _controller.SyncAsync("ns/gone", CancellationToken.None);
        Assert.Empty(_writer.BudgetWrites);
    }

    [Fact]
    public void Pod_events_enqueue_the_budget_selecting_the_pod()
    {
        Budget(minAvailable: 1, name: "b", selector: new LabelSelector());   // empty: every pod of the namespace
        Budget(minAvailable: 1, name: "a");
        Budget(minAvailable: 1, name: "none", selector: new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } });

        _controller.OnPodAdd(Pod("web-0"));
        Assert.Equal(1, _controller.Queue.Count);
        Assert.Equal(["Warning MultiplePodDisruptionBudgets Pod \"ns\"/\"web-0\" matches multiple PodDisruptionBudgets.  Chose \"a\" arbitrarily."], _events.Lines);

        // Pods without labels belong to no budget.
        _controller.OnPodDelete(Pod("bare", labels: new Dictionary<string, string>()));
        Assert.Equal(1, _controller.Queue.Count);
    }

    [Fact]
    public async Task A_disruption_condition_with_no_deletion_is_reset_after_two_minutes()
    {
        var pod = Pod("web-0");
        pod.Status!.Conditions!.Add(new PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "EvictionByEvictionAPI", LastTransitionTime = T0 });
        Pod("deleting", deleting: true).Status!.Conditions!.Add(new PodCondition { Type = "DisruptionTarget", Status = "True", LastTransitionTime = T0 });

        // Not stale yet: waits for the rest of the two minutes.
        _time.Advance(TimeSpan.FromSeconds(60));
        _controller.OnPodAdd(pod);
        Assert.Equal(1, _controller.StalePodQueue.DelayedCount);
        await _controller.SyncStalePodAsync("ns/web-0", CancellationToken.None);
        Assert.Empty(_writer.PodWrites);

        _time.Advance(TimeSpan.FromSeconds(61));
        await _controller.SyncStalePodAsync("ns/web-0", CancellationToken.None);
        var written = Assert.Single(_writer.PodWrites);
        var condition = written.Status!.Conditions!.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("False", null, T0.AddSeconds(121)), (condition.Status, condition.Reason, condition.LastTransitionTime));

        // A pod being deleted is what the condition announced: left alone.
        await _controller.SyncStalePodAsync("ns/deleting", CancellationToken.None);
        Assert.Single(_writer.PodWrites);
    }
}
