using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Agent;

/// <summary>
/// A `korral server` that runs no node itself (--disable-agent) with its own cluster CIDR, and the `korral agent` runs
/// that join it as node agent-a. Everything of the node is its own: the agent's data dir under the server's temporary
/// root, a free kubelet port, the pod bridge <see cref="Bridge"/> on <see cref="ClusterCidr"/> (never the real-node
/// cluster's cni0 and 10.42.0.0/16). Disposing deletes every pod (through an agent, started again if the test left none
/// running, so the kubelet removes the containers), waits until containerd runs no task, stops the agents and the server,
/// removes the bridge if this cluster created it, and fails the run if something outlived the node.
/// </summary>
public sealed class AgentCluster : IAsyncLifetime
{
    public const string ClusterCidr = "10.77.0.0/16";
    public const string Bridge = "kagent0";
    public const string NodeName = "agent-a";

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(90);

    private readonly Lock _agentsLock = new();
    private readonly List<AgentProcess> _agents = [];
    private bool _bridgeExisted;

    public AgentCluster()
    {
        Server = new KorralServer(["--cluster-cidr", ClusterCidr]);
        Kubectl = new Kubectl(Server, KubectlVersions.Newest);
        AgentDataDir = Path.Combine(Server.Root, NodeName);
        KubeletPort = FreePort();
    }

    public KorralServer Server { get; }

    /// <summary>kubectl (newest version) with the server's admin kubeconfig.</summary>
    public Kubectl Kubectl { get; }

    /// <summary>agent-a's --agent-data-dir: credentials (pki/), containerd root, CNI config, kubelet dir, images/ to import.</summary>
    public string AgentDataDir { get; }

    public int KubeletPort { get; }

    /// <summary>The node token the server wrote at its first start (K10&lt;CA hash&gt;::server:&lt;secret&gt;).</summary>
    public string TokenFile => Path.Combine(Server.DataDir, "token");

    public async Task InitializeAsync()
    {
        _bridgeExisted = Directory.Exists($"/sys/class/net/{Bridge}");
        PlaceImages(Path.Combine(AgentDataDir, "images"));
        await Server.StartAsync();
    }

    /// <summary>A `korral agent` joining as agent-a with the token file and the cluster's ports and bridge (not started).</summary>
    public AgentProcess NewAgent() => Track(new AgentProcess(
    [
        "--server", Server.Url, "--token-file", TokenFile, "--node-name", NodeName, "--agent-data-dir", AgentDataDir,
        "--kubelet-port", KubeletPort.ToString(CultureInfo.InvariantCulture), "--pod-bridge", Bridge, "--node-ip", "127.0.0.1",
    ]));

    /// <summary>A `korral agent` with these flags (not started); disposing the cluster stops it if it still runs.</summary>
    public AgentProcess Track(AgentProcess agent)
    {
        lock (_agentsLock)
        {
            _agents.Add(agent);
        }

        return agent;
    }

    /// <summary>`ctr -a SOCKET -n k8s.io ARGS…`: what really runs in the agent's containerd.</summary>
    public static async Task<string> CtrAsync(string socket, params string[] args)
    {
        var start = new ProcessStartInfo("ctr") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-a", socket, "-n", "k8s.io", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ctr");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"ctr {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>The tasks (running or stopped container processes) in the agent's containerd: id, pid, status.</summary>
    public static async Task<IReadOnlyList<(string Id, string Pid, string Status)>> TasksAsync(string socket) =>
        (await CtrAsync(socket, "tasks", "ls")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length >= 3)
            .Select(c => (c[0], c[1], c[2]))
            .ToList();

    /// <summary>Processes whose command line names this path (containerd shims of the agent's run dir).</summary>
    public static IReadOnlyList<string> ProcessesMentioning(string path)
    {
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                if (commandLine.Contains(path, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }

        return found;
    }

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        List<AgentProcess> agents;
        lock (_agentsLock)
        {
            agents = [.. _agents];
        }

        var joined = Directory.Exists(Path.Combine(AgentDataDir, "pki"));
        var runDir = Korral.Kubelet.Hosting.NodeAgentOptions.RunDirFor(AgentDataDir);
        try
        {
            if (Server.IsRunning && joined)
            {
                await DeletePodsThroughAnAgentAsync(agents, runDir, problems);
            }
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException or IOException)
        {
            problems.Add($"clean-up: {e.Message}");
        }
        finally
        {
            lock (_agentsLock)
            {
                agents = [.. _agents];
            }

            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            problems.AddRange(ProcessesMentioning(runDir + "/").Select(p => $"outlived the agent: {p}"));
            await Server.DisposeAsync();
            await RemoveBridgeAsync(problems);
            try
            {
                if (Directory.Exists(runDir))
                {
                    Directory.Delete(runDir, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"could not remove {runDir}: {e.Message}");
            }

            Kubectl.Dispose();
        }

        if (problems.Count > 0)
        {
            var logs = string.Join("\n", agents.Select(a => a.Log));
            throw new InvalidOperationException($"the agent cluster did not clean up:\n  {string.Join("\n  ", problems)}\n{logs}");
        }
    }

    /// <summary>Deletes every pod and waits until the agent's containerd runs nothing; starts an agent for it if none runs.</summary>
    private async Task DeletePodsThroughAnAgentAsync(List<AgentProcess> agents, string runDir, List<string> problems)
    {
        var agent = agents.LastOrDefault(a => a.IsRunning);
        if (agent is null)
        {
            agent = NewAgent();
            await agent.StartAsync();
        }

        var deleted = await Kubectl.RunAsync(["delete", "pods", "--all", "-A", "--grace-period=1", "--wait=false"], null);
        if (!deleted.Succeeded)
        {
            problems.Add($"deleting the pods failed:\n{deleted}");
        }

        var socket = agent.ContainerdSocket ?? Path.Combine(runDir, "containerd", "containerd.sock");
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> pods = [];
        IReadOnlyList<(string Id, string Pid, string Status)> tasks = [];
        while (clock.Elapsed < CleanupTimeout)
        {
            pods = (await Kubectl.RunAsync("get", "pods", "-A", "-o", "name")).Lines;
            tasks = await TasksAsync(socket);
            if (pods.Count == 0 && tasks.Count == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        problems.Add($"after {CleanupTimeout.TotalSeconds} s: pods {string.Join(", ", pods)}; containerd tasks {string.Join(", ", tasks.Select(t => $"{t.Id} {t.Status}"))}");
    }

    /// <summary>Removes the pod bridge when this cluster created it and no pod is attached to it any more.</summary>
    private async Task RemoveBridgeAsync(List<string> problems)
    {
        var ports = $"/sys/class/net/{Bridge}/brif";
        if (_bridgeExisted || !Directory.Exists(ports))
        {
            return;
        }

        if (Directory.EnumerateFileSystemEntries(ports).Any())
        {
            problems.Add($"bridge {Bridge} still has ports: {string.Join(", ", Directory.EnumerateFileSystemEntries(ports).Select(Path.GetFileName))}");
            return;
        }

        using var ip = Process.Start(new ProcessStartInfo("ip", ["link", "del", Bridge]) { RedirectStandardError = true, UseShellExecute = false })!;
        await ip.WaitForExitAsync();
        if (ip.ExitCode != 0)
        {
            problems.Add($"ip link del {Bridge}: {await ip.StandardError.ReadToEndAsync()}");
        }
    }

    /// <summary>Hard-links (or copies, across file systems) the offline image archives into the agent's images/ directory.</summary>
    private static void PlaceImages(string target)
    {
        var source = ImagesDirectory();
        Directory.CreateDirectory(target);
        foreach (var archive in Directory.GetFiles(source, "*.tar"))
        {
            var destination = Path.Combine(target, Path.GetFileName(archive));
            if (Link(archive, destination) != 0)
            {
                File.Copy(archive, destination);
            }
        }
    }

    /// <summary>&lt;repo&gt;/out/images, found by walking up from the test binaries to Korral.slnx.</summary>
    private static string ImagesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Korral.slnx")))
            {
                var images = Path.Combine(dir.FullName, "out", "images");
                if (!File.Exists(Path.Combine(images, "busybox.tar")) || !File.Exists(Path.Combine(images, "pause.tar")))
                {
                    throw new InvalidOperationException($"{images} has no image archives: run `images/build out/images` in {dir.FullName}");
                }

                return images;
            }
        }

        throw new InvalidOperationException($"no Korral.slnx above {AppContext.BaseDirectory}: cannot find out/images");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
