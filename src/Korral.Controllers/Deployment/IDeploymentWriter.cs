using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Deployments;

/// <summary>The writes of the Deployment controller (a seam so that tests can apply them to seeded caches).</summary>
public interface IDeploymentWriter
{
    Task<RS> CreateReplicaSetAsync(RS rs, CancellationToken cancellationToken);

    Task<RS> UpdateReplicaSetAsync(RS rs, CancellationToken cancellationToken);

    Task DeleteReplicaSetAsync(string ns, string name, CancellationToken cancellationToken);

    Task PatchReplicaSetAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken);

    /// <summary>Writes metadata.annotations (a merge patch); returns the Deployment as stored.</summary>
    Task<D> PatchDeploymentAnnotationsAsync(string ns, string name, string mergePatch, CancellationToken cancellationToken);

    Task<D> UpdateDeploymentStatusAsync(D d, CancellationToken cancellationToken);

    /// <summary>The Deployment read from the API (adoption re-checks that the cached owner is still current).</summary>
    Task<D?> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken);
}
