using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Korral.Bench.Cluster;

/// <summary>
/// A <c>korral server</c> child process on a free loopback port with a temporary data dir, started cold (no CA, no
/// database). <see cref="StartAsync"/> returns once an authenticated client gets 200 from /readyz and records how long
/// each step took from the moment the process was started.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private const int Sigterm = 15;
    private const int MaxPortAttempts = 5;

    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly Lock _logLock;
    private bool _stopRequested;

    private ServerProcess(Process process, StringBuilder log, Lock logLock, string root, Kubeconfig kubeconfig, ColdStart coldStart)
    {
        _process = process;
        _log = log;
        _logLock = logLock;
        Root = root;
        Kubeconfig = kubeconfig;
        ColdStart = coldStart;
    }

    public int Pid => _process.Id;

    /// <summary>Temporary directory with the data dir and the kubeconfig; deleted on dispose.</summary>
    public string Root { get; }

    public Kubeconfig Kubeconfig { get; }

    public ColdStart ColdStart { get; }

    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(ServerBinary binary, IReadOnlyList<string> extraArgs, Version httpVersion, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = await TryStartAsync(binary, extraArgs, httpVersion, FreePort(), cancellationToken);
            if (started is not null)
            {
                return started;
            }

            if (attempt == MaxPortAttempts)
            {
                throw new InvalidOperationException($"korral server could not bind a free port in {MaxPortAttempts} attempts");
            }
        }
    }

    /// <summary>Stops the server with SIGTERM (a clean shutdown) and reports how that went.</summary>
    public async Task<StopResult> StopAsync()
    {
        if (_process.HasExited)
        {
            return new StopResult(_process.ExitCode, TimeSpan.Zero, ShutdownError(), AlreadyExited: true);
        }

        var clock = Stopwatch.StartNew();
        _stopRequested = true;
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed for pid {_process.Id}: errno {Marshal.GetLastPInvokeError()}");
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            return new StopResult(_process.ExitCode, clock.Elapsed, $"did not exit within {StopTimeout.TotalSeconds} s of SIGTERM; killed", false);
        }

        return new StopResult(_process.ExitCode, clock.Elapsed, ShutdownError(), false);
    }

    /// <summary>Whether the server has exited without being asked to (a crash).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// What a crashed server left behind: its exit code and the first unhandled exception it printed, or the last lines
    /// of its output, with the path of the full log (kept after the run).
    /// </summary>
    public string DescribeExit()
    {
        var code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none (still running)";
        if (ExternalShutdown() is { } line)
        {
            return $"it logged `{line}` without the benchmark asking it to stop: another process on this machine sent it SIGTERM/SIGINT " +
                $"(it then stops listening and drains open connections); exit code {code}; full log: {LogPath}";
        }

        var tail = string.Join(" / ", Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(8));
        return $"exit code {code}; {(ShutdownError() is { } error ? $"`{error}`" : $"last output: `{tail}`")}; full log: {LogPath}";
    }

    /// <summary>The server's "shutting down" line when the benchmark did not ask for it, else null.</summary>
    public string? ExternalShutdown()
    {
        if (_stopRequested)
        {
            return null;
        }

        return Log.Split('\n').FirstOrDefault(l => l.Contains(" shutting down", StringComparison.Ordinal))?.Trim();
    }

    /// <summary>Where the server's output is saved when it stops (the data dir is deleted, the log is kept).</summary>
    public string LogPath => Path.Combine(Path.GetDirectoryName(Root)!, $"server-{Path.GetFileName(Root)}.log");

    /// <summary>Reads a size field of /proc/PID/status (VmRSS, VmHWM…) in bytes.</summary>
    public long ReadMemory(string field) => ProcStatus.Read(_process.Id, field);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }

        _process.Dispose();
        await File.WriteAllTextAsync(LogPath, Log, CancellationToken.None);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of /tmp.
        }
    }

    private static async Task<ServerProcess?> TryStartAsync(ServerBinary binary, IReadOnlyList<string> extraArgs, Version httpVersion, int port,
        CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), "korral-bench", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var kubeconfigPath = Path.Combine(root, "kubeconfig.yaml");
        var start = binary.StartInfo(["server", "--data-dir", Path.Combine(root, "data"), "--write-kubeconfig", kubeconfigPath,
            "--https-listen-port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--disable-agent", .. extraArgs]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;

        var log = new StringBuilder();
        var logLock = new Lock();
        int? reportedMs = null;
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (logLock)
            {
                log.AppendLine(line);
            }

            if (ReadyLine().Match(line) is { Success: true } m)
            {
                reportedMs = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            }
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);

        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // 1. The kubeconfig appears (written atomically once the server is ready): until then there is no credential.
            while (!File.Exists(kubeconfigPath))
            {
                await CheckAliveAsync(process, clock, log, logLock, cancellationToken);
                await Task.Delay(2, cancellationToken);
            }

            var kubeconfigWritten = clock.Elapsed;
            var kubeconfig = Kubeconfig.Load(kubeconfigPath);

            // 2. An authenticated client (client certificate, pinned CA) gets 200 from /readyz.
            using var client = new ApiClient(kubeconfig, httpVersion);
            Version? version = null;
            while (true)
            {
                await CheckAliveAsync(process, clock, log, logLock, cancellationToken);
                try
                {
                    using var response = await client.Http.GetAsync("/readyz", cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        version = response.Version;
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(2, cancellationToken);
            }

            var ready = clock.Elapsed;

            // 3. A first authenticated API read: the client certificate is accepted, not just the TLS handshake.
            using (await client.GetJsonAsync("/api/v1/namespaces/default", cancellationToken))
            {
            }

            var firstRead = clock.Elapsed;
            var coldStart = new ColdStart(kubeconfigWritten, ready, firstRead, reportedMs, version);
            return new ServerProcess(process, log, logLock, root, kubeconfig, coldStart);
        }
        catch (PortTakenException)
        {
            process.Dispose();
            Directory.Delete(root, recursive: true);
            return null;
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }
    }

    private static async Task CheckAliveAsync(Process process, Stopwatch clock, StringBuilder log, Lock logLock, CancellationToken cancellationToken)
    {
        if (process.HasExited)
        {
            await process.WaitForExitAsync(cancellationToken);
            string text;
            lock (logLock)
            {
                text = log.ToString();
            }

            if (text.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new PortTakenException();
            }

            throw new InvalidOperationException($"korral server exited with code {process.ExitCode} before it was ready. Log:\n{text}");
        }

        if (clock.Elapsed > StartTimeout)
        {
            throw new TimeoutException($"korral server was not ready within {StartTimeout.TotalSeconds} s");
        }
    }

    /// <summary>The first line of an unhandled exception the server printed, if any.</summary>
    private string? ShutdownError()
    {
        var text = Log;
        var at = text.IndexOf("Unhandled exception", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var end = text.IndexOf('\n', at);
        var first = end < 0 ? text[at..] : text[at..end];
        var frame = text.IndexOf("   at ", at, StringComparison.Ordinal);
        if (frame >= 0)
        {
            var frameEnd = text.IndexOf('\n', frame);
            first += " " + (frameEnd < 0 ? text[frame..] : text[frame..frameEnd]).Trim();
        }

        return first.Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"korral is ready in (\d+) ms")]
    private static partial Regex ReadyLine();

    private sealed class PortTakenException : Exception;
}
