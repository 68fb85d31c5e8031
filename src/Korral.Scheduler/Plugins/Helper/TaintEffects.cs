namespace Korral.Scheduler.Plugins.Helper;

/// <summary>The taint effects and well-known taint keys the scheduler plugins compare against (core/v1 constants).</summary>
public static class TaintEffects
{
    public const string NoSchedule = "NoSchedule";

    public const string PreferNoSchedule = "PreferNoSchedule";

    public const string NoExecute = "NoExecute";

    /// <summary>The taint <c>kubectl cordon</c> stands for: pods tolerating it may land on <c>spec.unschedulable</c> nodes.</summary>
    public const string UnschedulableTaintKey = "node.kubernetes.io/unschedulable";
}
