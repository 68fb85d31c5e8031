using Win32Exception = System.ComponentModel.Win32Exception;
using System.Globalization;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;
using CriMount = Korral.Kubelet.Cri.V1.Mount;
using CriPropagation = Korral.Kubelet.Cri.V1.MountPropagation;

namespace Korral.Kubelet.Volumes;

public sealed partial class VolumeManager
{
    /// <summary>
    /// The CRI mounts of one container: each volumeMount's volume (or its subPath / expanded subPathExpr, created
    /// inside the volume when missing and bind-mounted after checking it cannot lead out of it), read-only when the
    /// mount or the volume says so, with the mount's propagation. Other mounts (/etc/hosts, the termination log) are
    /// not this method's business.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">A container or init container of the pod.</param>
    /// <param name="volumes">What <see cref="SetUpAsync"/> returned for the pod.</param>
    /// <param name="environment">The container's resolved environment, for subPathExpr.</param>
    /// <exception cref="ContainerMountException">A mount cannot be made (CreateContainerConfigError).</exception>
    public IReadOnlyList<CriMount> MountsFor(Pod pod, Container container, PodVolumes volumes, IReadOnlyDictionary<string, string> environment)
    {
        var mounts = new List<CriMount>();
        var index = 0;
        foreach (var volumeMount in container.VolumeMounts ?? [])
        {
            var mountName = volumeMount.Name ?? "";
            if (!volumes.Volumes.TryGetValue(mountName, out var volume))
            {
                throw new ContainerMountException($"cannot find volume \"{mountName}\" to mount into container \"{container.Name}\"");
            }

            var hostPath = volume.HostPath;
            var subPath = string.IsNullOrEmpty(volumeMount.SubPathExpr)
                ? volumeMount.SubPath ?? ""
                : SubPathExpansion.Expand(volumeMount.SubPathExpr, environment);
            if (subPath.Length > 0)
            {
                hostPath = PrepareSubPath(volumes, volume, container.Name ?? "", mountName, subPath, index);
            }

            mounts.Add(new CriMount
            {
                ContainerPath = volumeMount.MountPath ?? "",
                HostPath = hostPath,
                Readonly = volumeMount.ReadOnly == true || volume.ReadOnly,
                SelinuxRelabel = false,
                Propagation = volumeMount.MountPropagation switch
                {
                    "HostToContainer" => CriPropagation.PropagationHostToContainer,
                    "Bidirectional" => CriPropagation.PropagationBidirectional,
                    _ => CriPropagation.PropagationPrivate,
                },
            });
            index++;
        }

        return mounts;
    }

    private string PrepareSubPath(PodVolumes volumes, PodVolume volume, string containerName, string mountName, string subPath, int index)
    {
        if (subPath.StartsWith('/'))
        {
            throw new ContainerMountException($"error SubPath `{subPath}` must not be an absolute path");
        }

        if (subPath.Split('/').Contains(".."))
        {
            throw new ContainerMountException($"unable to provision SubPath `{subPath}`: must not contain '..'");
        }

        var full = Path.Combine(volume.HostPath, subPath);
        if (!Path.Exists(full) && new FileInfo(full).LinkTarget is null)
        {
            try
            {
                // Created now with the volume's mode: created later by the runtime it would be root's 0755.
                SafeSubPath.MakeDirectories(volume.HostPath, subPath, UnixModes.Get(volume.HostPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Win32Exception)
            {
                // Details stay in the log: they could tell the pod's author about the node's file system.
                _options.Log($"volumes: creating subPath {subPath} of volume {volume.Name} for container {containerName}: {e.Message}");
                throw new ContainerMountException($"failed to create subPath directory for volumeMount \"{mountName}\" of container \"{containerName}\"");
            }
        }

        var target = Path.Combine(volumes.PodDirectory, "volume-subpaths", volume.Name, containerName, index.ToString(CultureInfo.InvariantCulture));
        try
        {
            return SafeSubPath.Bind(volume.HostPath, subPath, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Win32Exception)
        {
            _options.Log($"volumes: preparing subPath {subPath} of volume {volume.Name} for container {containerName}: {e.Message}");
            throw new ContainerMountException($"failed to prepare subPath for volumeMount \"{mountName}\" of container \"{containerName}\"");
        }
    }
}
