using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Bench.Kubelet.Cluster;

/// <summary>
/// A <c>korral server</c> child process with its node agent on (containerd child, image mirror, CNI bridge, kubelet):
/// its own data and agent dirs under the run directory, free loopback API and kubelet ports, a node name, bridge and
/// pod network of its own. Start returns once the node is Ready. Dispose stops it (SIGTERM; containerd stops with it),
/// then removes its bridge, its containerd state dir and (unless kept) its data; the logs stay in the run directory.
/// </summary>
public sealed partial class AgentServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);
    private const int Sigterm = 15;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string> _progress;
    private readonly bool _keepData;
    private int? _containerdPid;
    private string? _containerdSocket;
    private string? _containerdLog;

    private AgentServer(Process process, StreamWriter log, string runDir, string nodeName, NodeNetwork network, bool keepData, Action<string> progress)
    {
        _process = process;
        _log = log;
        RunDir = runDir;
        NodeName = nodeName;
        Network = network;
        _keepData = keepData;
        _progress = progress;
    }

    public string RunDir { get; }

    public string NodeName { get; }

    public NodeNetwork Network { get; }

    public int Pid => _process.Id;

    /// <summary>The node's containerd (the server's child), once the server logged it.</summary>
    public int? ContainerdPid => _containerdPid;

    public string DataDir => Path.Combine(RunDir, "data");

    public string AgentDataDir => Path.Combine(RunDir, "agent");

    public string KubeconfigPath => Path.Combine(RunDir, "kubeconfig.yaml");

    /// <summary>Where the server's output goes (kept after the run).</summary>
    public string LogPath => Path.Combine(RunDir, "server.log");

    /// <summary>The node's containerd log (its own file under the agent dir; copied next to the server log at the end).</summary>
    public string ContainerdLogPath => _containerdLog ?? Path.Combine(AgentDataDir, "containerd", "containerd.log");

    /// <summary>The containerd socket, as the server logged it; shims of this node carry it in their command line.</summary>
    public string? ContainerdSocket => _containerdSocket;

    /// <summary>The time the server reported from start to ready (its "korral is ready in N ms" line).</summary>
    public int ReadyMs { get; private set; }

    public KubeClient Client { get; private set; } = null!;

    public static async Task<AgentServer> StartAsync(KorralBinary binary, string runDir, string archivesDir, bool keepData, TimeSpan timeout,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var id = Path.GetFileName(runDir);
        var network = NodeNetwork.Choose(id);
        var nodeName = $"node-bench-{id[..6]}";
        Directory.CreateDirectory(runDir);
        ImageArchives.CopyTo(archivesDir, Path.Combine(runDir, "agent"));
        var apiPort = FreePort();
        var kubeletPort = FreePort();
        string[] args =
        [
            "server", "--data-dir", Path.Combine(runDir, "data"), "--agent-data-dir", Path.Combine(runDir, "agent"),
            "--write-kubeconfig", Path.Combine(runDir, "kubeconfig.yaml"),
            "--https-listen-port", apiPort.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1",
            "--kubelet-port", kubeletPort.ToString(CultureInfo.InvariantCulture), "--node-name", nodeName,
            "--pod-bridge", network.BridgeName, "--cluster-cidr", network.ClusterCidr,
        ];
        var start = binary.StartInfo(args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var log = new StreamWriter(Path.Combine(runDir, "server.log"), append: false) { AutoFlush = true };
        await log.WriteLineAsync($"# {binary.Path} {string.Join(' ', args)}");
        var process = new Process { StartInfo = start };
        var server = new AgentServer(process, log, runDir, nodeName, network, keepData, progress);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        progress($"korral server pid {process.Id}: API 127.0.0.1:{apiPort}, kubelet :{kubeletPort}, node {nodeName}, bridge {network.BridgeName}, " +
            $"cluster CIDR {network.ClusterCidr}, run dir {runDir}");
        try
        {
            await server.WaitUntilReadyAsync(timeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        var first = await Task.WhenAny(_ready.Task, exited);
        if (first != _ready.Task)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException(_process.HasExited
                ? $"korral server exited with code {_process.ExitCode} before it was ready; see {LogPath}"
                : $"korral server was not ready within {timeout.TotalSeconds} s; see {LogPath}");
        }

        ReadyMs = await _ready.Task;
        Client = KubeClient.FromKubeconfig(KubeconfigPath);

        // The server waits (bounded) for its node; a node that is still not Ready here would measure nothing useful.
        while (true)
        {
            var node = await Client.Resource<Node>().TryGetAsync(null, NodeName, deadline.Token);
            if (node?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { Status: "True" })
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"korral server exited with code {_process.ExitCode}; see {LogPath}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.WriteLine(line);
        }

        if (ReadyLine().Match(line) is { Success: true } ready)
        {
            _ready.TrySetResult(int.Parse(ready.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }
        else if (ContainerdLine().Match(line) is { Success: true } containerd)
        {
            _containerdPid = int.Parse(containerd.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            _containerdSocket = containerd.Groups[2].Value;
            _containerdLog = containerd.Groups[3].Value;
        }
    }

    /// <summary>
    /// Pids of containerd shims serving this node (their command line names its socket): one per pod sandbox until the
    /// kubelet has removed it.
    /// </summary>
    public IReadOnlyList<int> ShimPids()
    {
        if (_containerdSocket is not { } socket)
        {
            return [];
        }

        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("containerd-shim", StringComparison.Ordinal) && cmdline.Contains(socket, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited meanwhile.
            }
        }

        return pids;
    }

    /// <summary>
    /// Mount points under the agent's data dir (/proc/self/mountinfo): the pods' tmpfs volumes until the kubelet tears
    /// them down, which it does after the pod's API object is gone.
    /// </summary>
    public IReadOnlyList<string> AgentMounts()
    {
        var prefix = AgentDataDir + "/";
        return File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Unescape(fields[4]))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (!_process.HasExited)
        {
            Kill(_process.Id, Sigterm);
            using var wait = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _progress($"korral server pid {_process.Id} did not exit within {StopTimeout.TotalSeconds} s of SIGTERM: killing it");
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // The server stops its containerd; if it was killed, its containerd (ours, by pid and config) is stopped here.
        if (_containerdPid is { } pid && IsOurContainerd(pid))
        {
            _progress($"containerd pid {pid} outlived the server: stopping it");
            Kill(pid, Sigterm);
        }

        if (ShimPids() is { Count: > 0 } shims)
        {
            _progress($"{shims.Count} containerd shims of this node are still running (pids {string.Join(' ', shims)}): left as they are, see {ContainerdLogPath}");
        }

        lock (_logLock)
        {
            _log.Dispose();
        }

        _process.Dispose();
        CleanUp();
    }

    private void CleanUp()
    {
        if (File.Exists(ContainerdLogPath))
        {
            File.Copy(ContainerdLogPath, Path.Combine(RunDir, "containerd.log"), overwrite: true);
        }

        if (Directory.Exists($"/sys/class/net/{Network.BridgeName}"))
        {
            using var ip = Process.Start(new ProcessStartInfo("ip", ["link", "delete", Network.BridgeName]) { RedirectStandardError = true });
            ip?.WaitForExit();
            if (ip is { ExitCode: not 0 })
            {
                _progress($"could not delete the bridge {Network.BridgeName}: {ip.StandardError.ReadToEnd().Trim()}");
            }
        }

        foreach (var mount in AgentMounts().OrderByDescending(m => m.Length))
        {
            // Left by a kubelet stopped before its volume clean-up ran: ours, so detached here before the data dir goes.
            _progress($"unmounting {mount}, which the node left behind");
            if (Umount2(mount, MntDetach) != 0)
            {
                _progress($"could not unmount {mount}: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        if (_containerdSocket is { } socket && ShimPids().Count == 0)
        {
            // /run/korral-<hash>/containerd/containerd.sock: the state dir of this node's containerd (runc state, sockets).
            TryDelete(Path.GetDirectoryName(Path.GetDirectoryName(socket))!);
        }

        if (!_keepData)
        {
            TryDelete(DataDir);
            TryDelete(AgentDataDir);
        }
    }

    private void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _progress($"could not delete {dir}: {e.Message}");
        }
    }

    private bool IsOurContainerd(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(AgentDataDir, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal (\040).</summary>
    private static string Unescape(string field) => OctalEscape().Replace(field, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int MntDetach = 2;

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Umount2(string target, int flags);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex OctalEscape();

    [GeneratedRegex(@"korral is ready in (\d+) ms")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"started containerd \(pid (\d+)\) with \S+, socket (\S+), log (\S+)$")]
    private static partial Regex ContainerdLine();
}
