using System.Diagnostics;

namespace Korral.Ingress.Nginx;

/// <summary>
/// Finds the nginx an earlier controller left running (it crashed or was killed before stopping its child) through the pid
/// file, and stops it so the new one can bind the ports. Only what is provably ours is touched: a live master whose
/// command line names our prefix, or nginx processes still in the process group the pid file names (Linux does not reuse
/// a pid while a process group of that id exists, so a group member cannot belong to anyone else).
/// </summary>
internal static class NginxOrphans
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Stops the orphan, if any; returns its pid, or null when there was none (a stale pid file is removed).</summary>
    public static async Task<int?> StopAsync(NginxLayout layout, Action<string> log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (NginxProcess.TryReadPid(layout.PidFile) is not { } pid)
        {
            File.Delete(layout.PidFile);
            return null;
        }

        var master = ProcessTable.Read(pid);
        var ours = master is { Command: "nginx" } && master.CommandLine.Contains($"-p {layout.Prefix}/ ", StringComparison.Ordinal);
        var group = ProcessTable.Group(pid, "nginx");
        if (!ours && (master is not null || group.Count == 0))
        {
            File.Delete(layout.PidFile);
            return null;
        }

        log(ours
            ? $"ingress: stopping nginx (master pid {pid}) left running by an earlier run"
            : $"ingress: stopping {group.Count} nginx worker(s) of master pid {pid}, which died before them");
        // The master directly too: without setsid (not installed) it would not lead a group of its own.
        if (ours)
        {
            Signals.Send(pid, Signals.Terminate);
        }

        Signals.SendToGroup(pid, Signals.Terminate);
        var elapsed = Stopwatch.StartNew();
        while (Remaining(pid, ours) && elapsed.Elapsed < timeout)
        {
            await Task.Delay(PollInterval, cancellationToken);
        }

        if (ours && ProcessTable.Read(pid) is { Command: "nginx" })
        {
            Signals.Send(pid, Signals.Kill);
        }

        Signals.SendToGroup(pid, Signals.Kill);
        elapsed.Restart();
        while (Remaining(pid, ours))
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"nginx processes of group {pid} survive SIGKILL");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        File.Delete(layout.PidFile);
        return pid;
    }

    private static bool Remaining(int pid, bool masterOurs) =>
        (masterOurs && ProcessTable.Read(pid) is { Command: "nginx" }) || ProcessTable.Group(pid, "nginx").Count > 0;
}
