using Korral.Client;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Deployments;

/// <summary>The real <see cref="IDeploymentWriter"/>: writes through the API server.</summary>
public sealed class ApiDeploymentWriter(KubeClient client) : IDeploymentWriter
{
    public Task<RS> CreateReplicaSetAsync(RS rs, CancellationToken cancellationToken) => client.Resource<RS>().CreateAsync(rs, cancellationToken);

    public Task<RS> UpdateReplicaSetAsync(RS rs, CancellationToken cancellationToken) => client.Resource<RS>().UpdateAsync(rs, cancellationToken);

    public async Task DeleteReplicaSetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await client.Resource<RS>().DeleteAsync(ns, name, cancellationToken);

    public async Task PatchReplicaSetAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken) =>
        await client.Resource<RS>().PatchAsync(ns, name, PatchType.StrategicMerge, strategicMergePatch, cancellationToken);

    public Task<D> PatchDeploymentAnnotationsAsync(string ns, string name, string mergePatch, CancellationToken cancellationToken) =>
        client.Resource<D>().PatchStatusAsync(ns, name, PatchType.Merge, mergePatch, cancellationToken);

    public Task<D> UpdateDeploymentStatusAsync(D d, CancellationToken cancellationToken) => client.Resource<D>().UpdateStatusAsync(d, cancellationToken);

    public Task<D?> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken) => client.Resource<D>().TryGetAsync(ns, name, cancellationToken);
}
