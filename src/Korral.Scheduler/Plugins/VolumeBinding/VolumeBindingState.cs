using System.Collections.Concurrent;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// The plugin's cycle state. Filter records each feasible node's <see cref="PodVolumes"/> here (a concurrent map owned by
/// this object; the cycle state itself is only read), Reserve picks the chosen node's. Preemption's clones share it, as
/// upstream's: what-if runs only add entries for nodes.
/// </summary>
internal sealed class VolumeBindingState(PodVolumeClaims claims)
{
    public PodVolumeClaims Claims { get; } = claims;

    public ConcurrentDictionary<string, PodVolumes> ByNode { get; } = new(StringComparer.Ordinal);

    /// <summary>Set by Reserve: every claim was already bound, PreBind has nothing to do.</summary>
    public bool AllBound { get; set; }
}
