using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;

namespace Korral.Controllers.Disruption;

/// <summary>The writes of the disruption controller (a seam so that tests can record them instead).</summary>
public interface IDisruptionWriter
{
    /// <summary>PUT …/poddisruptionbudgets/{name}/status, optimistic on metadata.resourceVersion (409 when stale).</summary>
    Task UpdateBudgetStatusAsync(PodDisruptionBudget budget, CancellationToken cancellationToken);

    /// <summary>PUT …/pods/{name}/status, optimistic on metadata.resourceVersion.</summary>
    Task UpdatePodStatusAsync(Pod pod, CancellationToken cancellationToken);
}
