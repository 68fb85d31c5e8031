using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.ReplicaSets;
using Korral.Controllers.Tests.Common;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Tests.ReplicaSets;

/// <summary>The ReplicaSet controller over seeded caches and a fake pod-control (style.md habit 11).</summary>
public sealed class ReplicaSetControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Indexer<RS> _rsCache = new();
    private readonly Indexer<Pod> _podCache = new();
    private readonly FakePodControl _pods = new();
    private readonly RecordingEvents _events = new();
    private readonly ManualTime _time = new(T0);
    private readonly List<RS> _statusWrites = [];
    private readonly ReplicaSetController _controller;

    public ReplicaSetControllerTests()
    {
        _controller = new ReplicaSetController(new Lister<RS>(_rsCache), _podCache, _pods,
            (rs, _) => { lock (_statusWrites) { _statusWrites.Add(rs); } return Task.CompletedTask; },
            (ns, name, _) => Task.FromResult(_rsCache.Get(ns, name)),
            _events, _time, _ => { });
    }

    public static RS NewReplicaSet(string name, int replicas, int minReadySeconds = 0) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "ns", Uid = $"uid-{name}", Generation = 1, ResourceVersion = "1" },
        Spec = new ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe" } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
            },
        },
    };

    private static Pod NewPod(string name, RS? owner, string? node = null, string phase = "Running", bool ready = true, DateTimeOffset? readySince = null,
        Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name, Namespace = "ns", Uid = $"uid-{name}", ResourceVersion = "1", CreationTimestamp = T0,
            Labels = labels ?? new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe" },
            OwnerReferences = owner is null ? null : [new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = owner.Metadata!.Name, Uid = owner.Metadata.Uid, Controller = true }],
        },
        Spec = new PodSpec { NodeName = node },
        Status = new PodStatus
        {
            Phase = phase,
            Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = readySince ?? T0 }],
        },
    };

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(0, 3, 3)]
    [InlineData(2, 7, 5)]
    public async Task Scale_up_creates_the_missing_pods_with_a_controller_reference(int existing, int replicas, int expectedCreates)
    {
        var rs = NewReplicaSet("web", replicas);
        _rsCache.Upsert(rs);
        for (var i = 0; i < existing; i++)
        {
            _podCache.Upsert(NewPod($"web-{i}", rs));
        }

        await _controller.SyncAsync("ns/web", CancellationToken.None);

        Assert.Equal(expectedCreates, _pods.Created.Count);
        Assert.All(_pods.Created, p =>
        {
            Assert.Equal("web-", p.Metadata!.GenerateName);
            var owner = Assert.Single(p.Metadata.OwnerReferences!);
            Assert.Equal(("ReplicaSet", "web", "uid-web", true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            Assert.Equal("web", p.Metadata.Labels!["app"]);
        });
        Assert.Equal(expectedCreates, _events.Lines.Count(l => l.StartsWith("Normal SuccessfulCreate Created pod: web-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Expectations_stop_a_second_round_of_creates_until_the_cache_catches_up()
    {
        _rsCache.Upsert(NewReplicaSet("web", 3));
        await _controller.SyncAsync("ns/web", CancellationToken.None);
        await _controller.SyncAsync("ns/web", CancellationToken.None); // cache still empty
        Assert.Equal(3, _pods.Created.Count);

        // The informer reports two of them: still waiting for the third.
        foreach (var p in _pods.Created.Take(2))
        {
            _podCache.Upsert(p);
            _controller.OnPodAdd(p);
        }

        await _controller.SyncAsync("ns/web", CancellationToken.None);
        Assert.Equal(3, _pods.Created.Count);

        // Expectations expire after five minutes: then the controller acts on what it sees.
        _time.Advance(TimeSpan.FromMinutes(6));
        await _controller.SyncAsync("ns/web", CancellationToken.None);
        Assert.Equal(4, _pods.Created.Count);
    }

    [Theory]
    [InlineData(10, 0, 1)]  // the first batch (1) fails: one request, not ten
    [InlineData(10, 1, 3)]  // batches 1 ok, 2 (one fails): 3 attempts
    [InlineData(10, 3, 7)]  // 1, 2 ok, 4 (fails): 7 attempts
    public async Task Creates_go_in_slow_start_batches_and_stop_at_the_first_failing_batch(int replicas, int succeed, int attempts)
    {
        _rsCache.Upsert(NewReplicaSet("web", replicas));
        _pods.FailCreatesAfter = succeed;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _controller.SyncAsync("ns/web", CancellationToken.None));

        Assert.Equal(succeed, _pods.Created.Count);
        Assert.Equal(attempts - succeed, _events.Lines.Count(l => l == "Warning FailedCreate Error creating: quota exceeded"));
        var failure = Assert.Single(_statusWrites.Last().Status!.Conditions!);
        Assert.Equal(("ReplicaFailure", "True", "FailedCreate"), (failure.Type, failure.Status, failure.Reason));
        // What never happened is not expected any more: the next sync may act.
        Assert.Equal(succeed, _controller.Expectations.Get("ns/web")!.Value.Adds);
    }

    [Fact]
    public async Task Scale_down_deletes_unscheduled_then_pending_then_not_ready_pods_first()
    {
        var rs = NewReplicaSet("web", 2);
        _rsCache.Upsert(rs);
        _podCache.Upsert(NewPod("ready-old", rs, node: "n1", readySince: T0.AddHours(-5)));
        _podCache.Upsert(NewPod("ready-new", rs, node: "n2", readySince: T0.AddSeconds(-10)));
        _podCache.Upsert(NewPod("not-ready", rs, node: "n3", ready: false));
        _podCache.Upsert(NewPod("pending", rs, node: "n4", phase: "Pending", ready: false));
        _podCache.Upsert(NewPod("unscheduled", rs, node: null, phase: "Pending", ready: false));

        await _controller.SyncAsync("ns/web", CancellationToken.None);

        Assert.Equal(["not-ready", "pending", "unscheduled"], _pods.Deleted.Order());
        Assert.Equal(3, _events.Lines.Count(l => l.StartsWith("Normal SuccessfulDelete Deleted pod: ", StringComparison.Ordinal)));

        // Then, among ready pods, the one ready for the shorter time goes first.
        _pods.Deleted.Clear();
        _rsCache.Upsert(NewReplicaSet("web", 1));
        foreach (var name in new[] { "not-ready", "pending", "unscheduled" })
        {
            var pod = _podCache.Get("ns/" + name)!;
            _podCache.Remove("ns/" + name);
            _controller.OnPodDelete(pod);
        }

        await _controller.SyncAsync("ns/web", CancellationToken.None);
        Assert.Equal(["ready-new"], _pods.Deleted);
    }

    [Fact]
    public async Task Orphans_that_match_are_adopted_and_owned_pods_that_stopped_matching_are_released()
    {
        var rs = NewReplicaSet("web", 2);
        _rsCache.Upsert(rs);
        _podCache.Upsert(NewPod("orphan", owner: null));
        _podCache.Upsert(NewPod("owned", rs));
        _podCache.Upsert(NewPod("relabelled", rs, labels: new Dictionary<string, string> { ["app"] = "debug" }));
        _podCache.Upsert(NewPod("foreign", NewReplicaSet("other", 1)));

        await _controller.SyncAsync("ns/web", CancellationToken.None);

        Assert.Equal(2, _pods.Patches.Count);
        var adopt = Assert.Single(_pods.Patches, p => p.Name == "orphan").Patch;
        Assert.Contains("\"uid\":\"uid-web\",\"controller\":true,\"blockOwnerDeletion\":true", adopt, StringComparison.Ordinal);
        var release = Assert.Single(_pods.Patches, p => p.Name == "relabelled").Patch;
        Assert.Contains("\"$patch\":\"delete\",\"uid\":\"uid-web\"", release, StringComparison.Ordinal);
        Assert.Empty(_pods.Created); // owned + adopted = 2
        Assert.Empty(_pods.Deleted);
    }

    [Fact]
    public async Task Status_counts_replicas_labels_readiness_and_availability_after_minReadySeconds()
    {
        var rs = NewReplicaSet("web", 4, minReadySeconds: 30);
        _rsCache.Upsert(rs);
        _podCache.Upsert(NewPod("a", rs, readySince: T0.AddMinutes(-1)));
        _podCache.Upsert(NewPod("b", rs, readySince: T0.AddSeconds(-5)));
        _podCache.Upsert(NewPod("c", rs, ready: false));
        var partial = NewPod("d", rs, readySince: T0.AddMinutes(-1));
        partial.Metadata!.Labels!.Remove("tier");
        _podCache.Upsert(partial);

        await _controller.SyncAsync("ns/web", CancellationToken.None);

        var status = Assert.Single(_statusWrites).Status!;
        Assert.Equal((4, 3, 3, 2, 1L), (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration));
        Assert.Null(status.Conditions);
    }

    [Fact]
    public async Task A_deleted_replica_set_forgets_its_expectations()
    {
        _rsCache.Upsert(NewReplicaSet("web", 2));
        await _controller.SyncAsync("ns/web", CancellationToken.None);
        Assert.NotNull(_controller.Expectations.Get("ns/web"));
        _rsCache.Remove("ns/web");
        await _controller.SyncAsync("ns/web", CancellationToken.None);
        Assert.Null(_controller.Expectations.Get("ns/web"));
    }
}
