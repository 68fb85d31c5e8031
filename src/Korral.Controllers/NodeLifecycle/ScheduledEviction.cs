namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// A pod's pending deletion by <see cref="TaintEvictionController"/> (upstream's TimedWorker).
/// </summary>
/// <param name="CreatedAt">When the eviction was scheduled: tolerationSeconds count from here.</param>
/// <param name="FireAt">When the pod is deleted.</param>
/// <param name="Fired">The deletion has started (its event is written once, however many attempts it takes).</param>
/// <param name="Done">The pod was deleted: kept until the pod is gone so that it is not scheduled again meanwhile.</param>
public sealed record ScheduledEviction(DateTimeOffset CreatedAt, DateTimeOffset FireAt, bool Fired = false, bool Done = false);
