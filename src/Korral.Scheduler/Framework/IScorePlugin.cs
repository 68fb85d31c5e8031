namespace Korral.Scheduler.Framework;

/// <summary>
/// Ranks a feasible node (higher is better). Called concurrently for different nodes. After all nodes are scored,
/// <see cref="NormalizeScore"/> (when the plugin needs it) maps the scores into 0–<see cref="MaxNodeScore"/>; then the
/// framework multiplies by the plugin's weight.
/// </summary>
public interface IScorePlugin : IPlugin
{
    public const long MaxNodeScore = 100;

    (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node);

    /// <summary>Rescales the scores in place; the default leaves them as they are.</summary>
    Status NormalizeScore(CycleState state, PodInfo pod, Span<NodeScore> scores) => Status.Success;
}
