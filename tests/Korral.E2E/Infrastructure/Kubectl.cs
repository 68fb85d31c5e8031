using System.Diagnostics;

namespace Korral.E2E.Infrastructure;

/// <summary>
/// Runs one real kubectl version (kubectl.1.27, kubectl.1.33, …) against a <see cref="KorralServer"/>: KUBECONFIG points at the
/// server's admin kubeconfig and KUBECACHEDIR at a fresh directory owned by this instance, so discovery cached by other tests
/// or earlier servers on the same port is never reused. Commands run in <see cref="WorkDir"/>, where <see cref="WriteFile"/>
/// puts manifests, so kubectl's messages name files the way a user typed them ("error when creating \"x.yaml\"").
/// </summary>
public sealed class Kubectl : IDisposable
{
    /// <summary>Limit for one command; far above the usual 0.1–0.5 s so a loaded machine does not fail the suite.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly KorralServer _server;
    private readonly string _root;

    public Kubectl(KorralServer server, string version)
    {
        _server = server;
        Version = version;
        Binary = KubectlBinaries.PathFor(version);
        _root = Path.Combine(Path.GetTempPath(), "korral-e2e-kubectl", Guid.NewGuid().ToString("N")[..12]);
        CacheDir = Path.Combine(_root, "cache");
        WorkDir = Path.Combine(_root, "work");
        Directory.CreateDirectory(CacheDir);
        Directory.CreateDirectory(WorkDir);
    }

    /// <summary>The minor version, e.g. "1.33".</summary>
    public string Version { get; }

    public string Binary { get; }

    public string CacheDir { get; }

    public string WorkDir { get; }

    /// <summary>Extra environment variables for every command this instance runs (e.g. EDITOR for `kubectl edit`).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Runs kubectl with these arguments and waits for it to exit.</summary>
    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    /// <summary>Runs kubectl, optionally feeding <paramref name="stdin"/> (for `-f -`), and waits for it to exit.</summary>
    public async Task<KubectlResult> RunAsync(IReadOnlyList<string> args, string? stdin, TimeSpan? timeout = null)
    {
        var start = StartInfo(args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var limit = timeout ?? DefaultTimeout;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"kubectl did not exit within {limit.TotalSeconds} s\n{new KubectlResult(CommandLine(args), -1, await stdout, await stderr)}\n--- server log ---\n{_server.Log}");
        }

        return new KubectlResult(CommandLine(args), process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a kubectl that keeps running (e.g. `get pods -w`) and whose stdout lines can be awaited.</summary>
    public KubectlStream Stream(params string[] args) => new(StartInfo(args), CommandLine(args));

    /// <summary>Writes a file into <see cref="WorkDir"/> and returns its name relative to it (what to pass to `-f`).</summary>
    public string WriteFile(string name, string content)
    {
        File.WriteAllText(Path.Combine(WorkDir, name), content);
        return name;
    }

    /// <summary>Copies a manifest from the test data (Scenarios/) into <see cref="WorkDir"/> and returns its name.</summary>
    public string CopyScenario(string fileName)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", fileName), Path.Combine(WorkDir, fileName), overwrite: true);
        return fileName;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A stream a failed test did not dispose may still be writing its cache; leave it to the OS.
        }
    }

    private ProcessStartInfo StartInfo(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            UseShellExecute = false,
            WorkingDirectory = WorkDir,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only the server under test: no user kubeconfig, no shared discovery cache, no plugins or kuberc from the host.
        start.Environment["KUBECONFIG"] = _server.KubeconfigPath;
        start.Environment["KUBECACHEDIR"] = CacheDir;
        start.Environment["HOME"] = _root;
        start.Environment.Remove("KUBECTL_EXTERNAL_DIFF");
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private string CommandLine(IReadOnlyList<string> args) =>
        $"KUBECONFIG={_server.KubeconfigPath} KUBECACHEDIR={CacheDir} kubectl.{Version} {string.Join(' ', args.Select(Quote))}";

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}
