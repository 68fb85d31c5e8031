using System.Diagnostics;
using System.Globalization;

namespace Korral.Ingress.Nginx;

/// <summary>
/// One nginx master run as a child (<c>daemon off</c>) in a session and process group of its own (through setsid), so
/// that the master and every worker can be signalled together, even workers a killed master left behind. Its stderr
/// (nginx's error log) goes to the controller's log, line by line.
/// </summary>
internal sealed class NginxProcess : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private readonly NginxLayout _layout;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _lock = new();

    private NginxProcess(Process process, NginxLayout layout)
    {
        _process = process;
        _layout = layout;
    }

    /// <summary>The master's pid (also its process group and session id).</summary>
    public int Pid { get; private set; }

    /// <summary>Completes when the child exits.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts nginx with the configuration at <see cref="NginxLayout.ConfigFile"/> and waits until it wrote its pid file
    /// (which it does after binding its ports). Throws <see cref="InvalidOperationException"/> with nginx's last messages
    /// when it exits first (a port taken, a file it cannot read) or does not come up within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<NginxProcess> StartAsync(string nginx, string? setsid, NginxLayout layout, Action<string> log, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        File.Delete(layout.PidFile);
        var start = new ProcessStartInfo(setsid ?? nginx)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            // --wait: should setsid have to fork (it does when already a group leader), it stays our child until nginx exits.
            start.ArgumentList.Add("--wait");
            start.ArgumentList.Add(nginx);
        }

        foreach (var argument in new[] { "-p", layout.Prefix + "/", "-c", layout.ConfigFile, "-e", "stderr" })
        {
            start.ArgumentList.Add(argument);
        }

        // The Exited event, not WaitForExitAsync: that also waits for the end of the redirected output, which workers
        // outliving a killed master keep open.
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new NginxProcess(process, layout);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.ErrorDataReceived += (_, e) => child.Output(e.Data, log);
        process.OutputDataReceived += (_, e) => child.Output(e.Data, log);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {nginx}");
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        child.Exited = exited.Task;
        if (process.HasExited)
        {
            exited.TrySetResult();
        }

        try
        {
            await child.WaitForPidFileAsync(timeout, cancellationToken);
        }
        catch
        {
            child.KillGroup();
            child.Dispose();
            throw;
        }

        return child;
    }

    /// <summary>Asks the master to reload its configuration file (SIGHUP): new workers start, old ones finish their requests.</summary>
    public bool Reload() => Signals.Send(Pid, Signals.Hangup);

    /// <summary>
    /// Stops nginx: SIGTERM to the master (it stops its workers), then after <paramref name="timeout"/> SIGKILL to the whole
    /// group; returns when the child has exited.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Signals.Send(Pid, Signals.Terminate);
            await Task.WhenAny(Exited, Task.Delay(timeout));
        }

        KillGroup();
        await Exited.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGKILL to every process left in the group (workers outliving a dead master), and to the child itself.</summary>
    public void KillGroup()
    {
        var group = Pid > 0 ? Pid : SafeId();
        if (group > 0)
        {
            Signals.SendToGroup(group, Signals.Kill);
        }

        if (!_process.HasExited)
        {
            // Without setsid the child leads no group of its own.
            Signals.Send(SafeId(), Signals.Kill);
        }
    }

    /// <summary>nginx's last lines on stderr (for error messages).</summary>
    public string LastLines()
    {
        lock (_lock)
        {
            return string.Join("\n", _lastLines);
        }
    }

    public void Dispose() => _process.Dispose();

    private void Output(string? line, Action<string> log)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        lock (_lock)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }

        log($"nginx: {line}");
    }

    private async Task WaitForPidFileAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // nginx writes its pid file once its ports are bound; there is no other signal of readiness to wait on.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (TryReadPid(_layout.PidFile) is { } pid && ProcessTable.Read(pid) is { Command: "nginx" })
            {
                Pid = pid;
                return;
            }

            if (_process.HasExited)
            {
                await Exited;
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode} at start:\n{LastLines()}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException($"nginx did not write {_layout.PidFile} within {timeout.TotalSeconds:F0} s:\n{LastLines()}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private int SafeId()
    {
        try
        {
            return _process.Id;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>The pid in a pid file, or null when it is missing or not a number.</summary>
    public static int? TryReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
