using System.Diagnostics;

namespace Korral.Bench.Kubelet.Cluster;

/// <summary>
/// The OCI archives the benchmark node starts with: the sandbox image (pause.tar) and the measured image (nginx.tar),
/// copied into the agent's images/ directory, which the agent imports into its registry mirror at start. Taken from
/// --images, else the repository's out/images, built there with images/build when missing.
/// </summary>
public static class ImageArchives
{
    public static readonly string[] Needed = ["pause.tar", "nginx.tar"];

    public static async Task<string> LocateAsync(string? explicitDir, Action<string> progress, CancellationToken cancellationToken)
    {
        if (explicitDir is not null)
        {
            return Missing(explicitDir) is { } missing
                ? throw new FileNotFoundException($"--images {explicitDir} has no {missing}: build it with images/build {explicitDir}")
                : Path.GetFullPath(explicitDir);
        }

        var repo = KorralBinary.RepositoryRoot() ?? throw new InvalidOperationException("not run from the repository: pass --images DIR");
        var dir = Path.Combine(repo, "out", "images");
        if (Missing(dir) is null)
        {
            return dir;
        }

        progress($"building the images with images/build {dir} (Debian packages, a few seconds)");
        var start = new ProcessStartInfo(Path.Combine(repo, "images", "build")) { ArgumentList = { dir }, RedirectStandardError = true, RedirectStandardOutput = true };
        using var build = Process.Start(start) ?? throw new InvalidOperationException("could not run images/build");
        var stderr = build.StandardError.ReadToEndAsync(cancellationToken);
        await build.StandardOutput.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0 || Missing(dir) is not null)
        {
            throw new InvalidOperationException($"images/build {dir} failed (exit {build.ExitCode}): {await stderr}");
        }

        return dir;
    }

    /// <summary>Copies the needed archives into the agent's images/ directory (the agent imports them at start).</summary>
    public static void CopyTo(string archivesDir, string agentDataDir)
    {
        var target = Path.Combine(agentDataDir, "images");
        Directory.CreateDirectory(target);
        foreach (var name in Needed)
        {
            File.Copy(Path.Combine(archivesDir, name), Path.Combine(target, name), overwrite: true);
        }
    }

    private static string? Missing(string dir) => Needed.FirstOrDefault(name => !File.Exists(Path.Combine(dir, name)));
}
