using System.ComponentModel;
using System.Globalization;

namespace Korral.Kubelet.Volumes.Host;

/// <summary>The mounts the volume manager makes on the node: tmpfs for memory-backed volumes, and their removal.</summary>
internal static class HostMounts
{
    /// <summary>Mounts a tmpfs on a directory unless one is already there (set-up is re-run after restarts and refreshes).</summary>
    public static void MountTmpfs(string directory, long? sizeBytes)
    {
        if (MountTable.IsMountPoint(directory))
        {
            return;
        }

        var options = sizeBytes is { } size ? "size=" + size.ToString(CultureInfo.InvariantCulture) : null;
        Libc.Mount("tmpfs", directory, "tmpfs", 0, options);
    }

    /// <summary>
    /// Unmounts everything at or below a directory, deepest first; a busy mount is detached (lazily unmounted) so that
    /// the tree can go. Throws when something is still mounted afterwards, so that callers never delete through a mount.
    /// </summary>
    public static void UnmountAll(string directory)
    {
        foreach (var point in MountTable.MountsUnder(directory))
        {
            try
            {
                Libc.Unmount(point, detach: false);
            }
            catch (Win32Exception e) when (Libc.IsBusy(e))
            {
                Libc.Unmount(point, detach: true);
            }
        }

        var left = MountTable.MountsUnder(directory);
        if (left.Count > 0)
        {
            throw new IOException($"mounts remain under {directory}: {string.Join(", ", left)}");
        }
    }
}
