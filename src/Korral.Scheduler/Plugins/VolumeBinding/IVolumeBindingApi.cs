using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>The API writes and reads PreBind makes (a seam so tests need no server).</summary>
internal interface IVolumeBindingApi
{
    Task<PersistentVolume> GetVolumeAsync(string name, CancellationToken cancellationToken);

    Task<PersistentVolume> UpdateVolumeAsync(PersistentVolume volume, CancellationToken cancellationToken);

    Task<PersistentVolume> UpdateVolumeStatusAsync(PersistentVolume volume, CancellationToken cancellationToken);

    Task<PersistentVolumeClaim> GetClaimAsync(string ns, string name, CancellationToken cancellationToken);

    Task<PersistentVolumeClaim> UpdateClaimAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken);

    Task<PersistentVolumeClaim> UpdateClaimStatusAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken);
}
