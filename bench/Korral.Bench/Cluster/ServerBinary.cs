using System.Diagnostics;

namespace Korral.Bench.Cluster;

/// <summary>
/// The korral build to start: an executable (a publish output) or a korral.dll run with <c>dotnet</c>. Without an
/// explicit path the first existing of these is used: /tmp/korral-bench-bin/korral (the documented Release publish),
/// src/Korral/bin/Release/net10.0/korral.dll, src/Korral/bin/Debug/net10.0/korral.dll.
/// </summary>
public sealed record ServerBinary(string Path)
{
    public const string DefaultPublishDir = "/tmp/korral-bench-bin";

    public bool IsDll => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the path says it is a Debug build: its figures are not worth reporting.</summary>
    public bool LooksLikeDebug => Path.Contains($"{System.IO.Path.DirectorySeparatorChar}Debug{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    public static ServerBinary Find(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return new ServerBinary(System.IO.Path.GetFullPath(explicitPath));
        }

        var candidates = new List<string> { System.IO.Path.Combine(DefaultPublishDir, "korral") };
        if (RepositoryRoot() is { } repo)
        {
            candidates.Add(System.IO.Path.Combine(repo, "src", "Korral", "bin", "Release", "net10.0", "korral.dll"));
            candidates.Add(System.IO.Path.Combine(repo, "src", "Korral", "bin", "Debug", "net10.0", "korral.dll"));
        }

        return candidates.FirstOrDefault(File.Exists) is { } found
            ? new ServerBinary(found)
            : throw new FileNotFoundException(
                $"no korral build found (looked at {string.Join(", ", candidates)}): run `dotnet publish src/Korral -c Release -o {DefaultPublishDir}` or pass --server-binary");
    }

    public ProcessStartInfo StartInfo(params string[] args)
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

    private static string? RepositoryRoot()
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
