using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.Disruption;

namespace Korral.Controllers.Tests.Disruption;

/// <summary>
/// Records the controller's writes and applies budget writes to the seeded cache (with a new resourceVersion), as the
/// informer would; <see cref="Fail"/> makes the next budget write throw instead.
/// </summary>
public sealed class FakeDisruptionWriter(Indexer<PodDisruptionBudget> budgets) : IDisruptionWriter
{
    private int _version = 100;

    public List<PodDisruptionBudget> BudgetWrites { get; } = [];

    public List<Pod> PodWrites { get; } = [];

    public Exception? Fail { get; set; }

    public Task UpdateBudgetStatusAsync(PodDisruptionBudget budget, CancellationToken cancellationToken)
    {
        if (Fail is { } failure)
        {
            Fail = null;
            throw failure;
        }

        var stored = KubeObject.Clone(budget);
        stored.Metadata!.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        BudgetWrites.Add(stored);
        budgets.Upsert(stored);
        return Task.CompletedTask;
    }

    public Task UpdatePodStatusAsync(Pod pod, CancellationToken cancellationToken)
    {
        PodWrites.Add(KubeObject.Clone(pod));
        return Task.CompletedTask;
    }
}
