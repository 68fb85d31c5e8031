using System.Diagnostics;

namespace Korral.Ingress.Nginx;

/// <summary>Finding nginx (and setsid) and running <c>nginx -t</c>.</summary>
public static class NginxBinary
{
    /// <summary>
    /// The full path of <paramref name="name"/>: itself when it contains a '/', else the first match on PATH, then in
    /// /usr/sbin and /sbin (where Debian puts nginx, and which a non-login PATH may lack); null when not found.
    /// </summary>
    public static string? Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <c>nginx -t</c> on <paramref name="configFile"/> with the controller's prefix: the syntax, every referenced
    /// file (certificates) and every value are checked, nothing is bound or started.
    /// </summary>
    public static async Task<NginxTestResult> TestAsync(string nginx, NginxLayout layout, string configFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(nginx)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-t", "-q", "-p", layout.Prefix + "/", "-c", configFile, "-e", "stderr" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {nginx}");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        var output = ((await stderr) + (await stdout)).Trim();
        return new NginxTestResult(process.ExitCode == 0, output);
    }
}
