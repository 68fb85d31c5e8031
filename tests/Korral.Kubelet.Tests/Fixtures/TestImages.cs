namespace Korral.Kubelet.Tests.Fixtures;

/// <summary>
/// The offline image archives (pause, busybox, nginx, redis) built by images/build from this machine's Debian packages.
/// They are cached in the checkout's out/images and rebuilt when a file under images/ is newer than them.
/// </summary>
public static class TestImages
{
    private static readonly string[] Archives = ["pause.tar", "busybox.tar", "nginx.tar", "redis.tar"];

    public static async Task<string> DirectoryAsync(CancellationToken cancellationToken)
    {
        var repository = RepositoryRoot();
        var sources = Path.Combine(repository, "images");
        var output = Path.Combine(repository, "out", "images");
        var newestSource = System.IO.Directory.EnumerateFiles(sources, "*", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
        if (Archives.All(archive => File.Exists(Path.Combine(output, archive)) && File.GetLastWriteTimeUtc(Path.Combine(output, archive)) >= newestSource))
        {
            return output;
        }

        // Built aside and moved in, so a test run never imports a half-written archive of another.
        var staging = Path.Combine(repository, "out", "images.tmp-" + Guid.NewGuid().ToString("n")[..8]);
        try
        {
            await Command.RunAsync(Path.Combine(sources, "build"), [staging], cancellationToken);
            System.IO.Directory.CreateDirectory(output);
            foreach (var archive in Archives)
            {
                File.Move(Path.Combine(staging, archive), Path.Combine(output, archive), overwrite: true);
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }

        return output;
    }

    /// <summary>The checkout the tests were built from (the directory holding Korral.slnx).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Korral.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Korral.slnx above {AppContext.BaseDirectory}");
    }
}
