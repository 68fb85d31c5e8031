using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>A claim and the existing volume chosen for it (a static binding).</summary>
internal sealed record BindingInfo(PersistentVolumeClaim Claim, PersistentVolume Volume);
