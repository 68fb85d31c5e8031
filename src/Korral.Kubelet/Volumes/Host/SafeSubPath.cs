using System.Globalization;

namespace Korral.Kubelet.Volumes.Host;

/// <summary>
/// subPath mounts the way upstream makes them safe against a container that plants symlinks in its own volume: the
/// path is resolved and must stay inside the volume, then opened component by component without following symlinks,
/// and that open file is bind-mounted (through /proc/self/fd) onto a kubelet-owned target under the pod directory, so
/// that what the runtime mounts is exactly what was checked.
/// </summary>
internal static class SafeSubPath
{
    /// <summary>Creates the missing directories of a subPath inside a volume with the volume's own mode.</summary>
    /// <exception cref="IOException">An existing component leads out of the volume or is not a directory.</exception>
    public static void MakeDirectories(string volumePath, string subPath, UnixFileMode mode)
    {
        var volume = Libc.RealPath(volumePath) ?? throw new IOException($"volume path {volumePath} does not exist");
        var current = volume;
        foreach (var component in subPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (component == ".")
            {
                continue;
            }

            var next = Path.Combine(current, component);
            if (Libc.FileMode(next) is null)
            {
                if (new FileInfo(next).LinkTarget is not null)
                {
                    throw new IOException($"{next} is a dangling symlink");
                }

                Directory.CreateDirectory(next);
                UnixModes.Set(next, mode);
            }

            current = Libc.RealPath(next) ?? throw new IOException($"{next} does not exist");
            if (!Within(current, volume))
            {
                throw new IOException($"subpath \"{current}\" not within volume path \"{volume}\"");
            }
        }
    }

    /// <summary>
    /// Bind-mounts volumePath/subPath onto target (created as a file or directory to match) after checking it stays
    /// inside the volume; an existing bind at target is reused, as upstream does for container restarts.
    /// </summary>
    /// <exception cref="IOException">The path leads out of the volume, does not exist, or changed while it was opened.</exception>
    public static string Bind(string volumePath, string subPath, string target)
    {
        if (MountTable.IsMountPoint(target))
        {
            return target;
        }

        var volume = Libc.RealPath(volumePath) ?? throw new IOException($"volume path {volumePath} does not exist");
        var joined = Path.Combine(volumePath, subPath);
        var resolved = Libc.RealPath(joined) ?? throw new IOException($"subpath {joined} does not exist");
        if (!Within(resolved, volume))
        {
            throw new IOException($"subpath \"{resolved}\" not within volume path \"{volume}\"");
        }

        var fd = OpenWithoutSymlinks(volume, resolved);
        try
        {
            var isDirectory = FileTypes.IsDirectory(Libc.FdFileMode(fd));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (isDirectory)
            {
                Directory.CreateDirectory(target);
            }
            else if (!File.Exists(target))
            {
                File.WriteAllBytes(target, []);
            }

            Libc.Mount("/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture), target, null, Libc.MsBind, null);
            return target;
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>Whether path is base or below it (both already resolved).</summary>
    public static bool Within(string path, string @base) =>
        path == @base || path.StartsWith(@base.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static int OpenWithoutSymlinks(string volume, string resolved)
    {
        var fd = Libc.OpenPath(Libc.AtFdCwd, volume);
        var expected = volume;
        var relative = Path.GetRelativePath(volume, resolved);
        if (relative == ".")
        {
            return fd;
        }

        foreach (var component in relative.Split('/'))
        {
            int child;
            try
            {
                child = Libc.OpenPath(fd, component);
            }
            finally
            {
                Libc.Close(fd);
            }

            fd = child;
            expected = Path.Combine(expected, component);
            var mode = Libc.FdFileMode(fd);
            var actual = new FileInfo("/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture)).LinkTarget;
            if (FileTypes.IsSymlink(mode) || actual != expected)
            {
                Libc.Close(fd);
                throw new IOException($"{expected} changed into a symlink or moved while it was opened");
            }
        }

        return fd;
    }
}
