namespace Korral.E2E.Infrastructure;

/// <summary>
/// Finds the versioned kubectl binaries (kubectl.1.27 … kubectl.1.33). They sit beside the binary that `kubectl` on PATH
/// links to, which is not itself on PATH. KORRAL_KUBECTL_DIR overrides the search.
/// </summary>
public static class KubectlBinaries
{
    private static readonly Lazy<string> Directory = new(FindDirectory);

    /// <summary>The path of kubectl.&lt;version&gt; (version like "1.33"); fails with a clear message if it is missing.</summary>
    public static string PathFor(string version)
    {
        var path = System.IO.Path.Combine(Directory.Value, $"kubectl.{version}");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"kubectl {version} not found: expected {path}. Set KORRAL_KUBECTL_DIR to the directory holding kubectl.1.27 … kubectl.1.33.");
        }

        return path;
    }

    private static string FindDirectory()
    {
        if (Environment.GetEnvironmentVariable("KORRAL_KUBECTL_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }

        var pathVariable = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in pathVariable.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, "kubectl");
            if (!File.Exists(candidate))
            {
                continue;
            }

            // Like `readlink -f $(which kubectl)`: follow every link to the real file.
            var target = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(candidate);
            return System.IO.Path.GetDirectoryName(target)!;
        }

        throw new InvalidOperationException("kubectl is not on PATH; install it or set KORRAL_KUBECTL_DIR to the directory holding kubectl.1.27 … kubectl.1.33.");
    }
}
