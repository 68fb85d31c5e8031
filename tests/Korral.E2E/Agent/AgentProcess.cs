using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Korral.E2E.Agent;

/// <summary>
/// One run of `korral agent` (korral.dll from this test's output directory) as a child process: started with its flags,
/// ready once it prints "korral agent is ready", stopped with SIGTERM. Everything it printed is kept for assertions and
/// failure messages. A new instance per run; a restart is a second instance on the same data dir.
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    /// <summary>Joining, importing the images and starting containerd take a few seconds; the rest is margin for 2 shared cores.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private const string ReadyMarker = "korral agent is ready";
    private const int Sigterm = 15;

    private readonly Lock _logLock = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Process _process;
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AgentProcess(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "korral.dll"), "agent", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        CommandLine = string.Join(' ', start.ArgumentList);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, _stdout, ready: true);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, _stderr, ready: false);
        _process.Exited += (_, _) => _ready.TrySetResult(false);
    }

    public string CommandLine { get; }

    public string Stdout
    {
        get
        {
            lock (_logLock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_logLock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Everything it printed, for failure messages.</summary>
    public string Log => $"$ {CommandLine}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false; // never started
            }
        }
    }

    /// <summary>The containerd socket the agent's containerd listens on, from its "containerd … ready on SOCKET" line.</summary>
    public string? ContainerdSocket => ContainerdReady().Match(Stdout) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Starts the agent and waits for its ready line; fails the test if it exits or times out first.</summary>
    public async Task StartAsync()
    {
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var finished = await Task.WhenAny(_ready.Task, Task.Delay(StartTimeout));
        if (finished == _ready.Task && await _ready.Task)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        Assert.Fail($"korral agent did not become ready within {StartTimeout.TotalSeconds} s (exit code {_process.ExitCode})\n{Log}");
    }

    /// <summary>Runs the agent until it exits by itself (a refused join) and returns its exit code.</summary>
    public async Task<int> RunToExitAsync(TimeSpan timeout)
    {
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Assert.Fail($"korral agent did not exit within {timeout.TotalSeconds} s\n{Log}");
        }

        // WaitForExitAsync without a token drains the output readers.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Stops the agent with SIGTERM (containers keep running) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            Assert.True(SendSignal(_process.Id, Sigterm) == 0, $"kill(SIGTERM) failed for pid {_process.Id}: errno {Marshal.GetLastPInvokeError()}");
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                Assert.Fail($"korral agent did not exit within {StopTimeout.TotalSeconds} s of SIGTERM\n{Log}");
            }
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    private void OnLine(string? line, StringBuilder into, bool ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            into.AppendLine(line);
        }

        if (ready && line.Contains(ReadyMarker, StringComparison.Ordinal))
        {
            _ready.TrySetResult(true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try
            {
                await StopAsync();
            }
            catch (Xunit.Sdk.XunitException)
            {
                // StopAsync killed it; nothing else to do here.
            }
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host that runs the tests (set by `dotnet test`), else `dotnet` from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    [GeneratedRegex(@"containerd \S+ ready on (\S+)")]
    private static partial Regex ContainerdReady();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
