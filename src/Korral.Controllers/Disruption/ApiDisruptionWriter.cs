using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client;

namespace Korral.Controllers.Disruption;

/// <summary>The real <see cref="IDisruptionWriter"/>: writes through the API server.</summary>
public sealed class ApiDisruptionWriter(KubeClient client) : IDisruptionWriter
{
    public Task UpdateBudgetStatusAsync(PodDisruptionBudget budget, CancellationToken cancellationToken) =>
        client.Resource<PodDisruptionBudget>().UpdateStatusAsync(budget, cancellationToken);

    public Task UpdatePodStatusAsync(Pod pod, CancellationToken cancellationToken) =>
        client.Resource<Pod>().UpdateStatusAsync(pod, cancellationToken);
}
