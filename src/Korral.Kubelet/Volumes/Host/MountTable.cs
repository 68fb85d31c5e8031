using System.Text;

namespace Korral.Kubelet.Volumes.Host;

/// <summary>
/// The mount points of this process's mount namespace, read from /proc/self/mountinfo (mount points there are real
/// paths with spaces and other specials escaped as octal).
/// </summary>
internal static class MountTable
{
    private const string MountInfo = "/proc/self/mountinfo";

    public static IReadOnlyList<string> MountPoints()
    {
        var points = new List<string>();
        foreach (var line in File.ReadLines(MountInfo))
        {
            // id parent major:minor root mount-point options ...
            var fields = line.Split(' ');
            if (fields.Length > 4)
            {
                points.Add(Unescape(fields[4]));
            }
        }

        return points;
    }

    public static bool IsMountPoint(string path)
    {
        var real = Libc.RealPath(path);
        return real is not null && MountPoints().Contains(real, StringComparer.Ordinal);
    }

    /// <summary>Mount points at or below a directory, deepest (and latest) first, so they can be unmounted in order.</summary>
    public static IReadOnlyList<string> MountsUnder(string directory)
    {
        var real = Libc.RealPath(directory);
        if (real is null)
        {
            return [];
        }

        var prefix = real.TrimEnd('/') + "/";
        return [.. MountPoints()
            .Select((point, index) => (point, index))
            .Where(m => m.point == real || m.point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(m => m.point.Count(c => c == '/'))
            .ThenByDescending(m => m.index)
            .Select(m => m.point)];
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                bytes.Add((byte)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
