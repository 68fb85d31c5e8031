using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.Tests.Deployments;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Tests.ReplicaSets;

/// <summary>The ReplicaSet controller against a real in-process API server.</summary>
public sealed class ReplicaSetIntegrationTests(AppsCluster cluster) : IClassFixture<AppsCluster>
{
    private async Task<List<Pod>> LivePodsAsync(string ns) =>
        [.. ((await cluster.Client.Resource<Pod>().ListAsync(ns, null, CancellationToken.None)).Items ?? []).Where(p => p.Metadata?.DeletionTimestamp is null)];

    private static Pod Orphan(string ns, string name, string app) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
    };

    [Fact]
    public async Task Orphans_are_adopted_scale_follows_replicas_and_relabelled_pods_are_released()
    {
        var ns = await cluster.CreateNamespaceAsync("rs");
        await cluster.Client.Resource<Pod>().CreateAsync(Orphan(ns, "stray", "db"), CancellationToken.None);
        var rs = await cluster.Client.Resource<RS>().CreateAsync(new RS
        {
            Metadata = new ObjectMeta { Name = "db", Namespace = ns },
            Spec = new ReplicaSetSpec
            {
                Replicas = 3,
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "db" } },
                    Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
                },
            },
        }, CancellationToken.None);

        await cluster.EventuallyAsync(async () =>
        {
            var pods = await LivePodsAsync(ns);
            return pods.Count == 3 && pods.All(p => p.Metadata!.OwnerReferences?.SingleOrDefault()?.Uid == rs.Metadata!.Uid) ? null : $"{pods.Count} pods";
        });
        Assert.Contains(await LivePodsAsync(ns), p => p.Metadata!.Name == "stray"); // adopted, so only two were created

        // Relabel one: released (owner reference removed) and replaced.
        await cluster.Client.Resource<Pod>().PatchAsync(ns, "stray", PatchType.Merge, """{"metadata":{"labels":{"app":"debug"}}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () =>
        {
            var stray = await cluster.Client.Resource<Pod>().GetAsync(ns, "stray", CancellationToken.None);
            var owned = (await LivePodsAsync(ns)).Count(p => p.Metadata!.OwnerReferences?.Any(o => o.Uid == rs.Metadata!.Uid) == true);
            return (stray.Metadata!.OwnerReferences?.Count ?? 0) == 0 && owned == 3 ? null : $"stray owners {stray.Metadata.OwnerReferences?.Count}, owned {owned}";
        });

        // Scale down to 1: two deleted.
        await cluster.Client.Resource<RS>().PatchAsync(ns, "db", PatchType.Merge, """{"spec":{"replicas":1}}""", CancellationToken.None);
        await cluster.EventuallyAsync(async () =>
        {
            var owned = (await LivePodsAsync(ns)).Count(p => p.Metadata!.OwnerReferences?.Any(o => o.Uid == rs.Metadata!.Uid) == true);
            var status = (await cluster.Client.Resource<RS>().GetAsync(ns, "db", CancellationToken.None)).Status;
            return owned == 1 && status?.Replicas == 1 ? null : $"owned {owned}, status.replicas {status?.Replicas}";
        });
    }
}
