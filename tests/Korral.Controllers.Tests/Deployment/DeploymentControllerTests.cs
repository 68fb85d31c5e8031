using Korral.Api.Models;
using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.Deployments;
using Korral.Controllers.Tests.Common;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Tests.Deployments;

/// <summary>
/// The Deployment controller over seeded caches and a writer that applies its writes to them; <see cref="Settle"/> plays
/// the ReplicaSet controller (status follows spec, pods available at once unless told otherwise).
/// </summary>
public sealed class DeploymentControllerTests
{
    private readonly Indexer<D> _deployments = new();
    private readonly Indexer<RS> _replicaSets = new();
    private readonly Indexer<Pod> _pods = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingEvents _events = new();
    private readonly FakeDeploymentWriter _writer;
    private readonly DeploymentController _controller;

    public DeploymentControllerTests()
    {
        _writer = new FakeDeploymentWriter(_deployments, _replicaSets, _time);
        _controller = new DeploymentController(new Lister<D>(_deployments), new Lister<RS>(_replicaSets), _pods, _writer, _events, _time, _ => { });
    }

    private static D NewDeployment(int replicas, IntOrString? surge = null, IntOrString? unavailable = null, string strategy = "RollingUpdate") => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "ns", Uid = "d-uid", Generation = 1, ResourceVersion = "1" },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            RevisionHistoryLimit = 10,
            ProgressDeadlineSeconds = 600,
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Strategy = strategy == "Recreate"
                ? new DeploymentStrategy { Type = "Recreate" }
                : new DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDeployment { MaxSurge = surge ?? "25%", MaxUnavailable = unavailable ?? "25%" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx:1" }] },
            },
        },
    };

    private D Current => _deployments.Get("ns/web")!;

    private Task SyncAsync() => _controller.SyncAsync("ns/web", CancellationToken.None);

    private List<RS> ReplicaSets => [.. _replicaSets.List().OrderBy(rs => rs.Metadata!.CreationTimestamp)];

    private RS NewRS => ReplicaSets.Single(rs => DeploymentUtil.EqualIgnoreHash(rs.Spec!.Template, Current.Spec!.Template));

    /// <summary>Status follows spec: all pods exist; available unless <paramref name="unavailableRs"/> names the ReplicaSet.</summary>
    private void Settle(string? unavailableRs = null)
    {
        foreach (var rs in _replicaSets.List())
        {
            var copy = KubeObject.Clone(rs);
            var n = copy.Spec!.Replicas ?? 0;
            var available = copy.Metadata!.Name == unavailableRs ? 0 : n;
            copy.Status = new ReplicaSetStatus { Replicas = n, ReadyReplicas = available, AvailableReplicas = available, ObservedGeneration = copy.Metadata.Generation };
            _replicaSets.Upsert(copy);
        }
    }

    private void ChangeTemplate(string image)
    {
        var d = KubeObject.Clone(Current);
        d.Spec!.Template!.Spec!.Containers![0].Image = image;
        d.Metadata!.Generation++;
        _deployments.Upsert(d);
    }

    /// <summary>Creates the Deployment and rolls it out completely (revision 1).</summary>
    private async Task StartAsync(D d)
    {
        _deployments.Upsert(d);
        for (var i = 0; i < 5; i++)
        {
            await SyncAsync();
            Settle();
        }

        await SyncAsync();
    }

    [Fact]
    public async Task A_new_deployment_gets_a_replica_set_named_by_template_hash_with_revision_1()
    {
        await StartAsync(NewDeployment(3));

        var rs = Assert.Single(ReplicaSets);
        var hash = rs.Metadata!.Labels![DeploymentUtil.PodTemplateHashLabel];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.All(hash, ch => Assert.Contains(ch, PodTemplateHash.Alphabet));
        Assert.Equal(hash, rs.Spec!.Selector!.MatchLabels![DeploymentUtil.PodTemplateHashLabel]);
        Assert.Equal(hash, rs.Spec.Template!.Metadata!.Labels![DeploymentUtil.PodTemplateHashLabel]);
        Assert.Equal(("1", "3", "4"), (rs.Metadata.Annotations![DeploymentUtil.RevisionAnnotation],
            rs.Metadata.Annotations[DeploymentUtil.DesiredReplicasAnnotation], rs.Metadata.Annotations[DeploymentUtil.MaxReplicasAnnotation]));
        var owner = Assert.Single(rs.Metadata.OwnerReferences!);
        Assert.Equal(("Deployment", "web", "d-uid", true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("1", Current.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Contains($"Normal ScalingReplicaSet Scaled up replica set {rs.Metadata.Name} from 0 to 3", _events.Lines);

        var status = Current.Status!;
        Assert.Equal((3, 3, 3, 3, 0), (status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas));
        Assert.Equal(Current.Metadata.Generation, status.ObservedGeneration);
        var progressing = DeploymentUtil.GetCondition(status, "Progressing")!;
        Assert.Equal(("True", "NewReplicaSetAvailable", $"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed."),
            (progressing.Status, progressing.Reason, progressing.Message));
        var available = DeploymentUtil.GetCondition(status, "Available")!;
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), (available.Status, available.Reason, available.Message));
    }

    [Theory]
    [InlineData(4, "25%", "25%", "1/3 2/3 2/1 4/1 4/0")]
    [InlineData(3, "0", "1", "0/2 1/2 1/1 2/1 2/0 3/0")]
    [InlineData(3, "1", "0", "1/3 1/2 2/2 2/1 3/1 3/0")]
    [InlineData(10, "30%", "0%", "3/10 3/7 6/7 6/4 9/4 9/1 10/1 10/0")]
    public async Task Rolling_update_moves_step_by_step_within_maxSurge_and_maxUnavailable(int replicas, string surge, string unavailable, string steps)
    {
        var d = NewDeployment(replicas, Parse(surge), Parse(unavailable));
        await StartAsync(d);
        var (maxSurge, maxUnavailable) = DeploymentUtil.ResolveFenceposts(Parse(surge), Parse(unavailable), replicas);
        var oldRs = Assert.Single(ReplicaSets);
        ChangeTemplate("nginx:2");

        var seen = new List<string>();
        for (var i = 0; i < 20 && !(seen.Count > 0 && seen[^1] == $"{replicas}/0"); i++)
        {
            await SyncAsync();
            var newRs = NewRS;
            var old = _replicaSets.Get("ns/" + oldRs.Metadata!.Name)!;
            var step = $"{newRs.Spec!.Replicas}/{old.Spec!.Replicas}";
            if (seen.Count == 0 || seen[^1] != step)
            {
                seen.Add(step);
            }

            Assert.True(newRs.Spec.Replicas + old.Spec.Replicas <= replicas + maxSurge, $"surge exceeded at {step}");
            Assert.True((newRs.Status?.AvailableReplicas ?? 0) + Math.Min(old.Spec.Replicas ?? 0, old.Status!.AvailableReplicas ?? 0) >= replicas - maxUnavailable,
                $"too many unavailable at {step}");
            Settle();
        }

        Assert.Equal(steps, string.Join(" ", seen));
        await SyncAsync();
        Assert.Equal("2", Current.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal("2", NewRS.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal((replicas, replicas, replicas), (Current.Status!.Replicas, Current.Status.UpdatedReplicas, Current.Status.AvailableReplicas));
        Assert.Equal("NewReplicaSetAvailable", DeploymentUtil.GetCondition(Current.Status, "Progressing")!.Reason);
    }

    private static IntOrString Parse(string s) => s.EndsWith('%') ? IntOrString.FromString(s) : IntOrString.FromInt(int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Old_pods_that_never_became_available_are_scaled_down_first()
    {
        await StartAsync(NewDeployment(4, 1, 0));
        ChangeTemplate("nginx:2");
        await SyncAsync();                  // new RS at 1
        Settle(unavailableRs: NewRS.Metadata!.Name);
        await SyncAsync();                  // new RS unavailable, nothing may go
        Assert.Equal(4, ReplicaSets[0].Spec!.Replicas);
        Assert.Equal("ReplicaSetUpdated", DeploymentUtil.GetCondition(Current.Status, "Progressing")!.Reason);
    }

    [Fact]
    public async Task Recreate_scales_old_to_zero_and_waits_for_old_pods_before_creating_the_new_replica_set()
    {
        await StartAsync(NewDeployment(3, strategy: "Recreate"));
        var old = Assert.Single(ReplicaSets);
        var pod = new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = "old-pod", Namespace = "ns", Uid = "p1",
                OwnerReferences = [new OwnerReference { Kind = "ReplicaSet", Name = old.Metadata!.Name, Uid = old.Metadata.Uid, Controller = true }],
            },
            Status = new PodStatus { Phase = "Running" },
        };
        _pods.Upsert(pod);
        ChangeTemplate("nginx:2");

        await SyncAsync();
        Assert.Equal(0, _replicaSets.Get("ns/" + old.Metadata.Name)!.Spec!.Replicas);
        Assert.Single(ReplicaSets);
        Assert.Contains($"Normal ScalingReplicaSet Scaled down replica set {old.Metadata.Name} from 3 to 0", _events.Lines);

        Settle();
        await SyncAsync();                  // a pod of the old ReplicaSet still runs
        Assert.Single(ReplicaSets);

        _pods.Remove("ns/old-pod");
        await SyncAsync();
        Assert.Equal(2, ReplicaSets.Count);
        Assert.Equal(3, NewRS.Spec!.Replicas);
        Assert.Equal("2", NewRS.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
    }

    [Fact]
    public async Task Rolling_back_to_an_old_template_reuses_its_replica_set_with_the_next_revision()
    {
        await StartAsync(NewDeployment(2));
        var first = Assert.Single(ReplicaSets).Metadata!.Name;
        ChangeTemplate("nginx:2");
        for (var i = 0; i < 10; i++)
        {
            await SyncAsync();
            Settle();
        }

        Assert.Equal("2", Current.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        ChangeTemplate("nginx:1");           // what `kubectl rollout undo` does
        await SyncAsync();

        Assert.Equal(2, ReplicaSets.Count);
        var reused = _replicaSets.Get("ns/" + first)!;
        Assert.Equal("3", reused.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal("1", reused.Metadata.Annotations[DeploymentUtil.RevisionHistoryAnnotation]);
        Assert.Equal("3", Current.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        for (var i = 0; i < 10; i++)
        {
            Settle();
            await SyncAsync();
        }

        Assert.Equal(2, _replicaSets.Get("ns/" + first)!.Spec!.Replicas);
    }

    [Fact]
    public async Task Old_replica_sets_beyond_revisionHistoryLimit_are_deleted()
    {
        var d = NewDeployment(1);
        d.Spec!.RevisionHistoryLimit = 1;
        await StartAsync(d);
        foreach (var image in new[] { "nginx:2", "nginx:3", "nginx:4" })
        {
            ChangeTemplate(image);
            for (var i = 0; i < 8; i++)
            {
                await SyncAsync();
                Settle();
            }
        }

        Assert.Equal(2, ReplicaSets.Count);
        Assert.Equal(2, _writer.Deleted.Count);
        Assert.Equal(["3", "4"], ReplicaSets.Select(rs => rs.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]).Order());
    }

    [Fact]
    public async Task A_rollout_without_progress_past_the_deadline_reports_ProgressDeadlineExceeded()
    {
        var d = NewDeployment(2, 1, 0);
        d.Spec!.ProgressDeadlineSeconds = 30;
        await StartAsync(d);
        ChangeTemplate("nginx:broken");
        await SyncAsync();
        var newName = NewRS.Metadata!.Name;
        Settle(unavailableRs: newName);
        await SyncAsync();
        Assert.Equal("ReplicaSetUpdated", DeploymentUtil.GetCondition(Current.Status, "Progressing")!.Reason);

        _time.Advance(TimeSpan.FromSeconds(31));
        await SyncAsync();
        var progressing = DeploymentUtil.GetCondition(Current.Status, "Progressing")!;
        Assert.Equal(("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{newName}\" has timed out progressing."),
            (progressing.Status, progressing.Reason, progressing.Message));
    }

    [Fact]
    public async Task Paused_deployments_do_not_roll_out_but_still_scale()
    {
        await StartAsync(NewDeployment(2));
        var paused = KubeObject.Clone(Current);
        paused.Spec!.Paused = true;
        paused.Metadata!.Generation++;
        _deployments.Upsert(paused);
        ChangeTemplate("nginx:2");
        await SyncAsync();
        Assert.Single(ReplicaSets);
        var progressing = DeploymentUtil.GetCondition(Current.Status, "Progressing")!;
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (progressing.Status, progressing.Reason, progressing.Message));

        var scaled = KubeObject.Clone(Current);
        scaled.Spec!.Replicas = 5;
        scaled.Metadata!.Generation++;
        _deployments.Upsert(scaled);
        await SyncAsync();
        Assert.Equal(5, Assert.Single(ReplicaSets).Spec!.Replicas);

        var resumed = KubeObject.Clone(Current);
        resumed.Spec!.Paused = false;
        resumed.Metadata!.Generation++;
        _deployments.Upsert(resumed);
        await SyncAsync();
        Assert.Equal(2, ReplicaSets.Count);
    }

    [Fact]
    public async Task Scaling_mid_rollout_is_proportional()
    {
        await StartAsync(NewDeployment(10, 3, 2));
        ChangeTemplate("nginx:2");
        await SyncAsync();                  // new 3 (surge), old 10 → 8 (maxUnavailable 2)
        var old = ReplicaSets[0];
        Assert.Equal((3, 8), (NewRS.Spec!.Replicas, old.Spec!.Replicas));

        var scaled = KubeObject.Clone(Current);
        scaled.Spec!.Replicas = 15;
        scaled.Metadata!.Generation++;
        _deployments.Upsert(scaled);
        await SyncAsync();
        // 18 allowed (15 + surge 3) for 11 now: old 8·18/13 → 11, new 3·18/13 → 4, leftover 3 to the largest.
        Assert.Equal((4, 14), (NewRS.Spec!.Replicas, _replicaSets.Get("ns/" + old.Metadata!.Name)!.Spec!.Replicas));
        Assert.Equal("15", NewRS.Metadata!.Annotations![DeploymentUtil.DesiredReplicasAnnotation]);
    }
}
