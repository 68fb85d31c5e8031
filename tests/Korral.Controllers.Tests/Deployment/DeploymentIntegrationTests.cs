using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.Deployments;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Tests.Deployments;

/// <summary>The ReplicaSet and Deployment controllers against a real in-process API server.</summary>
public sealed class DeploymentIntegrationTests(AppsCluster cluster) : IClassFixture<AppsCluster>
{
    private static D NewDeployment(string ns, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = ns },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new PodSpec { Containers = [new Container { Name = "web", Image = "nginx:1.27" }] },
            },
        },
    };

    private async Task<List<Pod>> LivePodsAsync(string ns) =>
        [.. ((await cluster.Client.Resource<Pod>().ListAsync(ns, null, CancellationToken.None)).Items ?? []).Where(p => p.Metadata?.DeletionTimestamp is null)];

    private async Task<List<RS>> ReplicaSetsAsync(string ns) =>
        [.. (await cluster.Client.Resource<RS>().ListAsync(ns, null, CancellationToken.None)).Items ?? []];

    private Task<D> GetAsync(string ns) => cluster.Client.Resource<D>().GetAsync(ns, "web", CancellationToken.None);

    /// <summary>What `kubectl rollout status` requires before it says "successfully rolled out"; null when done.</summary>
    private static string? RolloutProblem(D d)
    {
        var s = d.Status ?? new DeploymentStatus();
        var want = d.Spec!.Replicas ?? 1;
        return (d.Metadata!.Generation ?? 0) > (s.ObservedGeneration ?? 0) ? "spec update not observed"
            : (s.UpdatedReplicas ?? 0) < want ? $"{s.UpdatedReplicas ?? 0} of {want} updated"
            : (s.Replicas ?? 0) > (s.UpdatedReplicas ?? 0) ? $"{(s.Replicas ?? 0) - (s.UpdatedReplicas ?? 0)} old pending termination"
            : (s.AvailableReplicas ?? 0) < (s.UpdatedReplicas ?? 0) ? $"{s.AvailableReplicas ?? 0} of {s.UpdatedReplicas} available"
            : null;
    }

    [Fact]
    public async Task A_deployment_of_three_gets_a_replica_set_and_three_owned_pods_and_rolls_out_when_they_are_ready()
    {
        var ns = await cluster.CreateNamespaceAsync("deploy");
        await cluster.Client.Resource<D>().CreateAsync(NewDeployment(ns, 3), CancellationToken.None);

        await cluster.EventuallyAsync(async () =>
        {
            var pods = await LivePodsAsync(ns);
            return pods.Count == 3 ? null : $"{pods.Count} pods";
        });
        var d = await GetAsync(ns);
        var rs = Assert.Single(await ReplicaSetsAsync(ns));
        var hash = rs.Metadata!.Labels!["pod-template-hash"];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal((D.KubeKind, "web", d.Metadata!.Uid, true, true), rs.Metadata.OwnerReferences!.Select(o => (o.Kind, o.Name, o.Uid, o.Controller, o.BlockOwnerDeletion)).Single());
        foreach (var pod in await LivePodsAsync(ns))
        {
            Assert.StartsWith($"web-{hash}-", pod.Metadata!.Name, StringComparison.Ordinal);
            Assert.Equal(5, pod.Metadata.Name!.Length - $"web-{hash}-".Length);
            var owner = Assert.Single(pod.Metadata.OwnerReferences!);
            Assert.Equal(("ReplicaSet", rs.Metadata.Name, rs.Metadata.Uid, true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            Assert.Equal(hash, pod.Metadata.Labels!["pod-template-hash"]);
        }

        await cluster.MarkPodsReadyAsync(ns);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)) is { } p ? p
            : (await GetAsync(ns)).Status!.AvailableReplicas != 3 ? "not 3 available" : null);

        d = await GetAsync(ns);
        Assert.Equal(d.Metadata!.Generation, d.Status!.ObservedGeneration);
        Assert.Equal((3, 3, 3, 3), (d.Status.Replicas, d.Status.UpdatedReplicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas));
        Assert.Equal("1", d.Metadata.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Contains(d.Status.Conditions!, c => c is { Type: "Available", Status: "True", Reason: "MinimumReplicasAvailable" });
        await cluster.EventuallyAsync(async () =>
        {
            var p = DeploymentUtil.GetCondition((await GetAsync(ns)).Status, "Progressing");
            return p?.Reason == "NewReplicaSetAvailable" ? null : $"Progressing {p?.Reason}";
        });

        rs = Assert.Single(await ReplicaSetsAsync(ns));
        Assert.Equal((3, 3, 3, 3), (rs.Status!.Replicas, rs.Status.FullyLabeledReplicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas));
        Assert.Equal(rs.Metadata!.Generation, rs.Status.ObservedGeneration);

        await cluster.Events.FlushAsync(CancellationToken.None);
        var events = (await cluster.Client.Resource<Event>().ListAsync(ns, null, CancellationToken.None)).Items ?? [];
        Assert.Contains(events, e => e.Reason == "ScalingReplicaSet" && e.Message == $"Scaled up replica set {rs.Metadata.Name} from 0 to 3");
        Assert.Equal(3, events.Count(e => e.Reason == "SuccessfulCreate" && e.Message!.StartsWith($"Created pod: {rs.Metadata.Name}-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Changing_the_image_rolls_out_a_new_replica_set_and_scales_the_old_one_down()
    {
        var ns = await cluster.CreateNamespaceAsync("rollout");
        await cluster.Client.Resource<D>().CreateAsync(NewDeployment(ns, 3), CancellationToken.None);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)), () => cluster.MarkPodsReadyAsync(ns));
        var first = Assert.Single(await ReplicaSetsAsync(ns));

        await cluster.Client.Resource<D>().PatchAsync(ns, "web", PatchType.StrategicMerge,
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)), () => cluster.MarkPodsReadyAsync(ns));

        var d = await GetAsync(ns);
        var all = await ReplicaSetsAsync(ns);
        Assert.Equal(2, all.Count);
        var old = all.Single(r => r.Metadata!.Uid == first.Metadata!.Uid);
        var current = all.Single(r => r.Metadata!.Uid != first.Metadata!.Uid);
        Assert.Equal(0, old.Spec!.Replicas);
        Assert.Equal(3, current.Spec!.Replicas);
        Assert.Equal("nginx:1.28", current.Spec.Template!.Spec!.Containers![0].Image);
        Assert.Equal(("1", "2"), (old.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation], current.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]));
        Assert.Equal("2", d.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal((3, 3, 3), (d.Status!.Replicas, d.Status.UpdatedReplicas, d.Status.AvailableReplicas));
        await cluster.EventuallyAsync(async () =>
        {
            var pods = await LivePodsAsync(ns);
            return pods.Count == 3 && pods.All(p => p.Metadata!.OwnerReferences![0].Uid == current.Metadata.Uid) ? null : $"{pods.Count} live pods";
        });

        // `kubectl rollout undo`: the old template again → the first ReplicaSet comes back as revision 3.
        await cluster.Client.Resource<D>().PatchAsync(ns, "web", PatchType.StrategicMerge,
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)), () => cluster.MarkPodsReadyAsync(ns));
        all = await ReplicaSetsAsync(ns);
        Assert.Equal(2, all.Count);
        old = all.Single(r => r.Metadata!.Uid == first.Metadata!.Uid);
        Assert.Equal(("3", "1", 3), (old.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation], old.Metadata.Annotations[DeploymentUtil.RevisionHistoryAnnotation], old.Spec!.Replicas));
        Assert.Equal("3", (await GetAsync(ns)).Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
    }
    [Fact]
    public async Task Rollout_restart_pause_and_scale_work_through_the_template_and_spec()
    {
        var ns = await cluster.CreateNamespaceAsync("restart");
        await cluster.Client.Resource<D>().CreateAsync(NewDeployment(ns, 2), CancellationToken.None);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)), () => cluster.MarkPodsReadyAsync(ns));

        // `kubectl rollout restart`: a template annotation → a normal rollout to revision 2.
        await cluster.Client.Resource<D>().PatchAsync(ns, "web", PatchType.StrategicMerge,
            """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)) ?? ((await ReplicaSetsAsync(ns)).Count == 2 ? null : "one replica set"),
            () => cluster.MarkPodsReadyAsync(ns));
        Assert.Equal("2", (await GetAsync(ns)).Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);

        // Paused: a template change does not roll out; scaling still applies.
        await cluster.Client.Resource<D>().PatchAsync(ns, "web", PatchType.Merge, """{"spec":{"paused":true}}""", CancellationToken.None);
        await cluster.Client.Resource<D>().PatchAsync(ns, "web", PatchType.StrategicMerge,
            """{"spec":{"replicas":4,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.29"}]}}}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () =>
        {
            var d = await GetAsync(ns);
            var p = DeploymentUtil.GetCondition(d.Status, "Progressing");
            return d.Status?.ObservedGeneration == d.Metadata!.Generation && p?.Reason == "DeploymentPaused" && (d.Status?.Replicas ?? 0) == 4
                ? null : $"observed {d.Status?.ObservedGeneration}/{d.Metadata.Generation}, {p?.Reason}, replicas {d.Status?.Replicas}";
        }, () => cluster.MarkPodsReadyAsync(ns));
        Assert.Equal(2, (await ReplicaSetsAsync(ns)).Count);

        // Resumed: the rollout to nginx:1.29 happens.
        await cluster.Client.Resource<D>().PatchAsync(ns, "web", PatchType.Merge, """{"spec":{"paused":false}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () => RolloutProblem(await GetAsync(ns)) ?? ((await ReplicaSetsAsync(ns)).Count == 3 ? null : "no third replica set"),
            () => cluster.MarkPodsReadyAsync(ns));
        var d = await GetAsync(ns);
        Assert.Equal(("3", 4, 4), (d.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation], d.Status!.UpdatedReplicas, d.Status.AvailableReplicas));
    }
}
