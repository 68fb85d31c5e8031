using System.Runtime.InteropServices;

namespace Korral.Kubelet.Tests.Volumes;

/// <summary>What is mounted below a directory (read from /proc/self/mountinfo), and unmounting it after a test.</summary>
public static class HostMountsProbe
{
    /// <summary>Mount points at or below a directory with their file system type and super options.</summary>
    public static IReadOnlyList<(string Point, string Type, string Options)> Under(string directory)
    {
        var prefix = directory.TrimEnd('/');
        var result = new List<(string, string, string)>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            var point = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            if (point == prefix || point.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                result.Add((point, fields[separator + 1], fields[separator + 3]));
            }
        }

        return result;
    }

    /// <summary>Lazily unmounts everything below a directory, deepest first (test clean-up).</summary>
    public static void UnmountAll(string directory)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var mounts = Under(directory);
            if (mounts.Count == 0)
            {
                return;
            }

            foreach (var (point, _, _) in mounts.OrderByDescending(m => m.Point.Length))
            {
                _ = umount2(point, 2);
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2(string target, int flags);
}
