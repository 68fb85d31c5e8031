using System.Diagnostics;
using System.Text.Json;

namespace Korral.E2E.Nodes;

/// <summary>
/// containerd's own CLI (`ctr -a SOCKET -n k8s.io …`) against the node's containerd: what really runs on the node,
/// whatever the kubelet reports. Containers made through CRI carry the pod's UID and the container's name as labels.
/// </summary>
public sealed class Ctr(string socket)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public string Socket { get; } = socket;

    /// <summary>Runs ctr in the CRI namespace and returns its stdout; throws with everything it printed if it failed.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ctr")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-a", Socket, "-n", "k8s.io", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ctr");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"ctr {string.Join(' ', args)} did not exit within {CommandTimeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ctr {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }

    /// <summary>IDs of the containers (the sandbox included) labelled with this pod UID, optionally only the one container.</summary>
    public async Task<IReadOnlyList<string>> ContainersOfPodAsync(string uid, string? containerName = null)
    {
        var filter = $"labels.\"io.kubernetes.pod.uid\"=={uid}";
        if (containerName is not null)
        {
            filter += $",labels.\"io.kubernetes.container.name\"=={containerName}";
        }

        return Lines(await RunAsync("containers", "ls", "-q", filter));
    }

    /// <summary>The single container of this name in this pod (the one running now; an exited one may linger until removed).</summary>
    public async Task<string> RunningContainerAsync(string uid, string containerName)
    {
        var ids = await ContainersOfPodAsync(uid, containerName);
        var running = (await TasksAsync()).Where(t => t.Status == "RUNNING").Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var matching = ids.Where(running.Contains).ToList();
        Assert.True(matching.Count == 1, $"expected one running container {containerName} of pod {uid}, found {string.Join(", ", matching)} (all: {string.Join(", ", ids)})");
        return matching[0];
    }

    /// <summary>Every task (a container's process) containerd knows of: ID, PID and status (RUNNING, STOPPED, …).</summary>
    public async Task<IReadOnlyList<(string Id, int Pid, string Status)>> TasksAsync() =>
        Lines(await RunAsync("tasks", "ls"))
            .Skip(1) // header: TASK PID STATUS
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length >= 3)
            .Select(cells => (cells[0], int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), cells[2]))
            .ToList();

    /// <summary>The environment of a container's process as its OCI spec gives it to runc.</summary>
    public async Task<IReadOnlyList<string>> EnvironmentAsync(string containerId)
    {
        using var info = JsonDocument.Parse(await RunAsync("containers", "info", containerId));
        return info.RootElement.GetProperty("Spec").GetProperty("process").GetProperty("env")
            .EnumerateArray().Select(e => e.GetString() ?? "").ToList();
    }

    /// <summary>Sends SIGKILL to a container's main process, as `kill -9 1` inside it would.</summary>
    public Task KillAsync(string containerId) => RunAsync("tasks", "kill", "--signal", "SIGKILL", containerId);

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
