namespace Korral.Kubelet.Tests.Fixtures;

/// <summary>Mounts a fixture left under its directory (a sandbox's shm, an overlay rootfs), so the directory can be deleted.</summary>
public static class Mounts
{
    /// <summary>The mount points under <paramref name="root"/>, deepest first.</summary>
    public static IReadOnlyList<string> Under(string root)
    {
        var prefix = root.TrimEnd('/') + "/";
        return File.ReadLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(point => point.Length)
            .ToList();
    }

    /// <summary>Lazily unmounts everything under <paramref name="root"/>; returns what could not be unmounted.</summary>
    public static async Task<IReadOnlyList<string>> UnmountUnderAsync(string root)
    {
        var failed = new List<string>();
        foreach (var point in Under(root))
        {
            try
            {
                await Command.RunAsync("umount", ["-l", point], CancellationToken.None);
            }
            catch (InvalidOperationException ex)
            {
                failed.Add(ex.Message);
            }
        }

        return failed;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field) =>
        !field.Contains('\\', StringComparison.Ordinal) ? field : System.Text.RegularExpressions.Regex.Replace(
            field, @"\\([0-7]{3})", match => ((char)Convert.ToInt32(match.Groups[1].Value, 8)).ToString());
}
