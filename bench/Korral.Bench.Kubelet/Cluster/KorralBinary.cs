using System.Diagnostics;

namespace Korral.Bench.Kubelet.Cluster;

/// <summary>
/// The korral build to start: an executable (a publish output) or a korral.dll run with <c>dotnet</c>. Without an
/// explicit path the first existing of /tmp/korral-bench-bin/korral (the documented Release publish) and
/// src/Korral/bin/Release/net10.0/korral.dll is used; a Debug build is only taken when named.
/// </summary>
public sealed record KorralBinary(string Path)
{
    public bool IsDll => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public static KorralBinary Find(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            var full = System.IO.Path.GetFullPath(explicitPath);
            return File.Exists(full) ? new KorralBinary(full) : throw new FileNotFoundException($"--server-binary {full} does not exist");
        }

        var candidates = new List<string> { "/tmp/korral-bench-bin/korral" };
        if (RepositoryRoot() is { } repo)
        {
            candidates.Add(System.IO.Path.Combine(repo, "src", "Korral", "bin", "Release", "net10.0", "korral.dll"));
        }

        return candidates.FirstOrDefault(File.Exists) is { } found
            ? new KorralBinary(found)
            : throw new FileNotFoundException(
                $"no korral build found (looked at {string.Join(", ", candidates)}): run `dotnet publish src/Korral -c Release -o /tmp/korral-bench-bin` or pass --server-binary");
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(IsDll ? "dotnet" : Path);
        if (IsDll)
        {
            start.ArgumentList.Add(Path);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>The repository this benchmark was built from (the directory holding Korral.slnx), if any.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Korral.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
