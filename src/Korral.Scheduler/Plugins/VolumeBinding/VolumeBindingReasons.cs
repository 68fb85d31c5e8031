namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>The reasons Filter gives (upstream's ConflictReasons), counted per node in FailedScheduling messages.</summary>
internal static class VolumeBindingReasons
{
    public const string BindConflict = "node(s) didn't find available persistent volumes to bind";
    public const string NodeConflict = "node(s) had volume node affinity conflict";
    public const string PVNotExist = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    public const string UnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";
}
