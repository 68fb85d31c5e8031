using System.ComponentModel;
using Korral.Kubelet.Volumes.Host;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>The directory under a volume, as upstream's emptyDir makes it for itself and the plugins that wrap it.</summary>
internal static class VolumeDirectories
{
    /// <summary>A directory on the node's disk, 0777 like upstream's emptyDir.</summary>
    public static string Disk(string path)
    {
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            UnixModes.Set(path, Modes.World);
        }

        return path;
    }

    /// <summary>A tmpfs (sized when a limit is given); a failed mount fails the volume.</summary>
    public static string Memory(string path, long? sizeBytes)
    {
        Disk(path);
        HostMounts.MountTmpfs(path, sizeBytes);
        return path;
    }

    /// <summary>
    /// A tmpfs for content that should never reach the disk (secrets, tokens), as upstream does; when tmpfs cannot be
    /// mounted here the content goes into a plain directory and that is logged. Mounts only over a new, empty
    /// directory, so that a refresh never hides content it has already projected.
    /// </summary>
    public static string MemoryOrDisk(string path, Action<string> log)
    {
        Disk(path);
        if (Directory.EnumerateFileSystemEntries(path).Any() || MountTable.IsMountPoint(path))
        {
            return path;
        }

        try
        {
            HostMounts.MountTmpfs(path, null);
        }
        catch (Win32Exception e)
        {
            log($"volumes: cannot mount tmpfs on {path} ({e.Message}); its content is written to a plain directory on disk instead");
        }

        return path;
    }
}
