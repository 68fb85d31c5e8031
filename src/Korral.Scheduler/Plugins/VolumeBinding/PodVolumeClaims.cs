using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// A pod's claims as PreFilter sorted them: fully bound ones (Filter checks their volumes' node affinity) and unbound
/// WaitForFirstConsumer ones (Filter finds volumes or provisioning for them), with the candidate volumes of their classes
/// listed once per cycle rather than once per node.
/// </summary>
internal sealed class PodVolumeClaims
{
    public static PodVolumeClaims None { get; } = new();

    public IReadOnlyList<PersistentVolumeClaim> Bound { get; init; } = [];

    /// <summary>Smallest request first, so that each claim gets the smallest volume that fits.</summary>
    public IReadOnlyList<PersistentVolumeClaim> UnboundDelayBinding { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<PersistentVolume>> VolumesByClass { get; init; } =
        new Dictionary<string, IReadOnlyList<PersistentVolume>>();
}
