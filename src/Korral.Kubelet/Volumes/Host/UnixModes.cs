namespace Korral.Kubelet.Volumes.Host;

/// <summary>Permission bits of node files (volumes are Linux-only; the guard keeps the platform analyzer satisfied).</summary>
internal static class UnixModes
{
    public static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("pod volumes need Linux");
        }

        File.SetUnixFileMode(path, mode);
    }

    public static UnixFileMode Get(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("pod volumes need Linux") : File.GetUnixFileMode(path);
}
