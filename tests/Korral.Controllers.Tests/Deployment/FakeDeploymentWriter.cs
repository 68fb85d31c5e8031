using System.Text.Json.Nodes;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.Deployments;
using Korral.Controllers.Tests.Common;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Tests.Deployments;

/// <summary>
/// Applies the Deployment controller's writes straight to the seeded caches, as a server and informers would: uids,
/// creation times (one second apart), generations bumped on spec changes (and on Deployment annotation changes).
/// </summary>
public sealed class FakeDeploymentWriter(Indexer<D> deployments, Indexer<RS> replicaSets, ManualTime time) : IDeploymentWriter
{
    private int _uid;
    private int _rv;

    public List<string> Deleted { get; } = [];

    public Task<RS> CreateReplicaSetAsync(RS rs, CancellationToken cancellationToken)
    {
        if (replicaSets.Get(rs.Metadata!.Namespace, rs.Metadata.Name!) is not null)
        {
            throw new KubeApiException(new Status { Code = 409, Reason = StatusReasons.AlreadyExists });
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var stored = KubeObject.Clone(rs);
        stored.Metadata!.Uid = $"rs-uid-{++_uid}";
        stored.Metadata.CreationTimestamp = time.GetUtcNow();
        stored.Metadata.Generation = 1;
        stored.Metadata.ResourceVersion = $"{++_rv}";
        replicaSets.Upsert(stored);
        return Task.FromResult(KubeObject.Clone(stored));
    }

    public Task<RS> UpdateReplicaSetAsync(RS rs, CancellationToken cancellationToken)
    {
        var old = replicaSets.Get(rs.Metadata!.Namespace, rs.Metadata.Name!) ?? throw new KubeApiException(new Status { Code = 404, Reason = StatusReasons.NotFound });
        var stored = KubeObject.Clone(rs);
        stored.Status = old.Status;
        if (!JsonNode.DeepEquals(Api.Models.KubeJson.ToNode(old.Spec), Api.Models.KubeJson.ToNode(rs.Spec)))
        {
            stored.Metadata!.Generation = (old.Metadata!.Generation ?? 0) + 1;
        }

        stored.Metadata!.ResourceVersion = $"{++_rv}";
        replicaSets.Upsert(stored);
        return Task.FromResult(KubeObject.Clone(stored));
    }

    public Task DeleteReplicaSetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        replicaSets.Remove($"{ns}/{name}");
        Deleted.Add(name);
        return Task.CompletedTask;
    }

    public Task PatchReplicaSetAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<D> PatchDeploymentAnnotationsAsync(string ns, string name, string mergePatch, CancellationToken cancellationToken)
    {
        var stored = KubeObject.Clone(deployments.Get(ns, name)!);
        stored.Metadata!.Annotations ??= new Dictionary<string, string>();
        foreach (var (k, v) in JsonNode.Parse(mergePatch)!["metadata"]!["annotations"]!.AsObject())
        {
            stored.Metadata.Annotations[k] = v!.GetValue<string>();
        }

        stored.Metadata.Generation = (stored.Metadata.Generation ?? 0) + 1;
        stored.Metadata.ResourceVersion = $"{++_rv}";
        deployments.Upsert(stored);
        return Task.FromResult(KubeObject.Clone(stored));
    }

    public Task<D> UpdateDeploymentStatusAsync(D d, CancellationToken cancellationToken)
    {
        var stored = KubeObject.Clone(deployments.Get(d.Metadata!.Namespace, d.Metadata.Name!)!);
        stored.Status = KubeObject.Clone(d).Status;
        stored.Metadata!.ResourceVersion = $"{++_rv}";
        deployments.Upsert(stored);
        return Task.FromResult(KubeObject.Clone(stored));
    }

    public Task<D?> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult(deployments.Get(ns, name));
}
