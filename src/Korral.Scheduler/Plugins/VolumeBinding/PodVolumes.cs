using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// What one node would need for the pod's unbound claims: existing volumes to bind and claims to provision. Filter builds
/// one per feasible node; Reserve replaces the lists with the assumed copies, and PreBind with what the API returned.
/// </summary>
internal sealed class PodVolumes
{
    public IReadOnlyList<BindingInfo> StaticBindings { get; set; } = [];

    public IReadOnlyList<PersistentVolumeClaim> DynamicProvisions { get; set; } = [];
}
