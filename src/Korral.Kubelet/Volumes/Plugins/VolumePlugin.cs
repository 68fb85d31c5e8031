using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>One kind of volume: how it is set up for a pod (set-up is idempotent: it runs again after restarts).</summary>
internal abstract class VolumePlugin
{
    /// <summary>Upstream's escaped plugin name, the directory under pods/&lt;uid&gt;/volumes.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the content follows its API objects (configMap, secret, downwardAPI, projected).</summary>
    public virtual bool Refreshable => false;

    public abstract bool Handles(Volume volume);

    /// <exception cref="VolumeSetupError">The volume cannot be set up (upstream's message).</exception>
    public abstract Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken);
}
