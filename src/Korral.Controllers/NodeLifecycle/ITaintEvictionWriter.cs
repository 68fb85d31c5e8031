namespace Korral.Controllers.NodeLifecycle;

/// <summary>The one write of <see cref="TaintEvictionController"/> (faked in tests; <see cref="ApiTaintEvictionWriter"/> in production).</summary>
public interface ITaintEvictionWriter
{
    /// <summary>
    /// Marks the pod with a DisruptionTarget condition (reason DeletionByTaintManager) and deletes it with its default
    /// grace period; false when it is already gone.
    /// </summary>
    Task<bool> EvictAsync(string ns, string name, CancellationToken cancellationToken);
}
