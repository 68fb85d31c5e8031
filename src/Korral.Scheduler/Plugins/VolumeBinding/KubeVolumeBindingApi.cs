using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary><see cref="IVolumeBindingApi"/> over the API server (PUTs with the resourceVersion read, as upstream's Update).</summary>
internal sealed class KubeVolumeBindingApi(KubeClient client) : IVolumeBindingApi
{
    public Task<PersistentVolume> GetVolumeAsync(string name, CancellationToken cancellationToken) =>
        client.Resource<PersistentVolume>().GetAsync(null, name, cancellationToken);

    public Task<PersistentVolume> UpdateVolumeAsync(PersistentVolume volume, CancellationToken cancellationToken) =>
        client.Resource<PersistentVolume>().UpdateAsync(volume, cancellationToken);

    public Task<PersistentVolume> UpdateVolumeStatusAsync(PersistentVolume volume, CancellationToken cancellationToken) =>
        client.Resource<PersistentVolume>().UpdateStatusAsync(volume, cancellationToken);

    public Task<PersistentVolumeClaim> GetClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.Resource<PersistentVolumeClaim>().GetAsync(ns, name, cancellationToken);

    public Task<PersistentVolumeClaim> UpdateClaimAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        client.Resource<PersistentVolumeClaim>().UpdateAsync(claim, cancellationToken);

    public Task<PersistentVolumeClaim> UpdateClaimStatusAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        client.Resource<PersistentVolumeClaim>().UpdateStatusAsync(claim, cancellationToken);
}
