using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Korral.E2E.Infrastructure;

/// <summary>
/// A real `korral server` child process (korral.dll from this test's output directory) on a free loopback port, with its
/// own temporary data directory and kubeconfig. Readiness is the "korral is ready" line on its stdout. Use it as an
/// xunit class fixture (one server per test class) or create one per test when the test restarts or kills it.
/// </summary>
public sealed class KorralServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>How long a start may take before the test fails; generous because the suite shares 2 cores.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private const string ReadyMarker = "korral is ready";
    private const int MaxPortAttempts = 5;

    private readonly Lock _logLock = new();
    private readonly StringBuilder _log = new();
    private readonly IReadOnlyList<string> _extraArguments;
    private Process? _process;

    /// <summary>
    /// The default server: without the in-process controller manager and scheduler, so that tests of the API surface see
    /// exactly what they wrote (a running deployment controller would rewrite the status, managedFields and events they
    /// assert on; with no nodes the scheduler would add FailedScheduling events to every pod).
    /// Tests of controllers use a fixture that passes its own flags (tests/Korral.E2E/Controllers/SimulatedCluster.cs).
    /// </summary>
    public KorralServer()
        : this(["--disable-controller-manager", "--disable-scheduler"])
    {
    }

    /// <summary>
    /// A server started with these extra `korral server` flags (e.g. --simulated-nodes 2) instead of the default ones.
    /// Without <paramref name="agent"/> it runs no node agent (--disable-agent): only the real-node fixture
    /// (Nodes/NodeCluster.cs) runs containers. <paramref name="root"/> (default: a new temporary directory) lets a fixture
    /// name paths under it in the flags (the agent's data dir).
    /// </summary>
    internal KorralServer(IReadOnlyList<string> extraArguments, bool agent = false, string? root = null)
    {
        _extraArguments = agent ? extraArguments : [.. extraArguments, "--disable-agent"];
        Root = root ?? NewRoot();
        Directory.CreateDirectory(Root);
    }

    /// <summary>A fresh path for a server's temporary directory (not created yet).</summary>
    internal static string NewRoot() => Path.Combine(Path.GetTempPath(), "korral-e2e", Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Temporary directory holding the data dir, the kubeconfig and scratch files of tests.</summary>
    public string Root { get; }

    public string DataDir => Path.Combine(Root, "data");

    public string KubeconfigPath => Path.Combine(Root, "kubeconfig.yaml");

    /// <summary>The HTTPS port; chosen at the first start and kept across restarts (the kubeconfig points at it).</summary>
    public int Port { get; private set; }

    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>Everything the server printed so far (stdout and stderr, all starts), for failure messages.</summary>
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

    public bool IsRunning => _process is { HasExited: false };

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Starts the server (again, on the same data dir and port after a stop) and waits for its ready line.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the server is already running");
        }

        for (var attempt = 1; ; attempt++)
        {
            var choosePort = Port == 0;
            if (choosePort)
            {
                Port = FreePort();
            }

            var outcome = await StartOnceAsync();
            if (outcome == StartOutcome.Ready)
            {
                return;
            }

            // Another process may have taken the port between probing and binding; only then is another port worth a try.
            if (outcome == StartOutcome.PortTaken && choosePort && attempt < MaxPortAttempts)
            {
                Port = 0;
                continue;
            }

            throw new InvalidOperationException($"korral server did not become ready ({outcome}) on port {Port}. Log:\n{Log}");
        }
    }

    /// <summary>Stops the server with SIGTERM and waits for it to exit; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the server was never started");
        if (!process.HasExited)
        {
            if (SendSignal(process.Id, Sigterm) != 0)
            {
                throw new InvalidOperationException($"kill(SIGTERM) failed for pid {process.Id}: errno {Marshal.GetLastPInvokeError()}");
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"korral server did not exit within {StopTimeout.TotalSeconds} s of SIGTERM. Log:\n{Log}");
            }
        }

        return process.ExitCode;
    }

    /// <summary>Kills the server with SIGKILL (no shutdown code runs) and waits until it is gone.</summary>
    public void KillHard()
    {
        var process = _process ?? throw new InvalidOperationException("the server was never started");
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(StopTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    await StopAsync();
                }
            }
            catch (TimeoutException)
            {
                // StopAsync already killed it; the log is lost with the fixture, nothing else to clean up.
            }
            finally
            {
                process.Dispose();
                _process = null;
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl child of a failed test may still hold a file; the temp dir is cleaned by the OS eventually.
        }
    }

    private async Task<StartOutcome> StartOnceAsync()
    {
        _process?.Dispose();
        var dll = Path.Combine(AppContext.BaseDirectory, "korral.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: the E2E project must reference src/Korral/Korral.csproj");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "server", "--data-dir", DataDir, "--write-kubeconfig", KubeconfigPath,
                     "--https-listen-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in _extraArguments)
        {
            start.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, null);
        process.Exited += (_, _) => ready.TrySetResult(false);
        AppendLog($"--- starting: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(ready.Task, Task.Delay(StartTimeout));
        if (finished == ready.Task && await ready.Task)
        {
            return StartOutcome.Ready;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return StartOutcome.TimedOut;
        }

        // The process has exited: let the output readers drain before looking at the log.
        await process.WaitForExitAsync();
        return Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase) ? StartOutcome.PortTaken : StartOutcome.Exited;
    }

    private void OnLine(string? line, TaskCompletionSource<bool>? ready)
    {
        if (line is null)
        {
            return;
        }

        AppendLog(line);
        if (ready is not null && line.Contains(ReadyMarker, StringComparison.Ordinal))
        {
            ready.TrySetResult(true);
        }
    }

    private void AppendLog(string line)
    {
        lock (_logLock)
        {
            _log.AppendLine(line);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host that runs the tests (set by `dotnet test`), else `dotnet` from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private enum StartOutcome
    {
        Ready,
        PortTaken,
        Exited,
        TimedOut,
    }
}
