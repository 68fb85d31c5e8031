using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Cri;

/// <summary>Pods on a real containerd through the CRI client: sandbox, network, containers, exec, logs, teardown.</summary>
[Collection(ContainerdCollection.Name)]
public partial class PodSandboxIntegrationTests(ContainerdFixture containerd)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SandboxGetsHostnameDnsConfigPortMappingCgroupParentAndAnAddress()
    {
        var hostPort = FreeTcpPort();
        var config = containerd.NewSandboxConfig("web");
        config.DnsConfig = new DNSConfig
        {
            Servers = { "10.96.0.10" },
            Searches = { "kktest.svc.cluster.local", "svc.cluster.local", "cluster.local" },
            Options = { "ndots:5" },
        };
        config.PortMappings.Add(new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80, HostPort = hostPort });
        var sandboxId = await containerd.RunSandboxAsync(config, CancellationToken.None);
        try
        {
            var status = (await containerd.Client.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId }, CancellationToken.None)).Status;
            Assert.Equal(PodSandboxState.SandboxReady, status.State);
            Assert.Equal(config.Metadata, status.Metadata);
            var podIp = IPAddress.Parse(status.Network.Ip);
            Assert.True(IPNetwork.Parse(ContainerdFixture.Subnet).Contains(podIp), $"{podIp} is outside {ContainerdFixture.Subnet}");

            var web = ContainerdFixture.NewContainerConfig("web", ContainerdFixture.BusyboxImage,
                "sh", "-c", "mkdir -p /www && echo hello from $(hostname) > /www/index.html && exec httpd -f -p 80 -h /www");
            var containerId = await containerd.StartContainerAsync(sandboxId, config, web, CancellationToken.None);

            Assert.Equal(config.Hostname + "\n", await ExecAsync(containerId, "hostname"));
            Assert.Equal(
                "search kktest.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
                await ExecAsync(containerId, "cat", "/etc/resolv.conf"));
            // Its own PID namespace: the container's process is PID 1, not the sandbox's pause.
            Assert.Equal("httpd\n", await ExecAsync(containerId, "cat", "/proc/1/comm"));
            var cgroup = Path.Combine(PodCgroups.DefaultRoot, "memory", config.Linux.CgroupParent.TrimStart('/'), containerId);
            Assert.True(Directory.Exists(cgroup), $"{cgroup} does not exist");

            var expected = $"hello from {config.Hostname}";
            Assert.Contains(expected, await HttpGetEventuallyAsync(new IPEndPoint(podIp, 80)), StringComparison.Ordinal);
            Assert.Contains(expected, await HttpGetEventuallyAsync(new IPEndPoint(NodeAddress(), hostPort)), StringComparison.Ordinal);
        }
        finally
        {
            await containerd.RemoveSandboxAsync(sandboxId, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ContainerRunsThenExitsWithItsCodeAndLogsInCriFormat()
    {
        var config = containerd.NewSandboxConfig("exit");
        var sandboxId = await containerd.RunSandboxAsync(config, CancellationToken.None);
        try
        {
            // The fifo holds the container in Running until the test lets it go.
            var main = ContainerdFixture.NewContainerConfig("main", ContainerdFixture.BusyboxImage,
                "sh", "-c", "mkfifo /tmp/go; echo out-line; echo err-line >&2; read x < /tmp/go; exit 3");
            var containerId = await containerd.StartContainerAsync(sandboxId, config, main, CancellationToken.None);
            var log = Path.Combine(config.LogDirectory, "main", "0.log");
            await Eventually.TrueAsync(
                () => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("err-line", StringComparison.Ordinal)),
                Wait, () => $"{log} never got both lines");

            var running = (await containerd.Client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, CancellationToken.None)).Status;
            Assert.Equal(ContainerState.ContainerRunning, running.State);
            Assert.Equal(log, running.LogPath);
            Assert.True(running.StartedAt > 0);

            await ExecAsync(containerId, "sh", "-c", "echo > /tmp/go");
            var exited = await containerd.WaitForContainerAsync(containerId, status => status.State == ContainerState.ContainerExited, Wait);

            Assert.Equal(3, exited.ExitCode);
            Assert.Equal("Error", exited.Reason);
            Assert.True(exited.FinishedAt >= exited.StartedAt);
            var lines = File.ReadAllLines(log);
            Assert.Equal(2, lines.Length);
            Assert.Contains(lines, line => CriLogLine().Match(line) is { Success: true } m && m.Groups[1].Value == "stdout" && m.Groups[2].Value == "out-line");
            Assert.Contains(lines, line => CriLogLine().Match(line) is { Success: true } m && m.Groups[1].Value == "stderr" && m.Groups[2].Value == "err-line");
        }
        finally
        {
            await containerd.RemoveSandboxAsync(sandboxId, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecSyncReturnsOutputStreamsAndExitCode()
    {
        var config = containerd.NewSandboxConfig("exec");
        var sandboxId = await containerd.RunSandboxAsync(config, CancellationToken.None);
        try
        {
            var containerId = await containerd.StartContainerAsync(sandboxId, config,
                ContainerdFixture.NewContainerConfig("sleeper", ContainerdFixture.BusyboxImage, "sleep", "3600"), CancellationToken.None);

            var result = await containerd.Client.ExecSyncAsync(new ExecSyncRequest
            {
                ContainerId = containerId,
                Cmd = { "sh", "-c", "echo to-out; echo to-err >&2; exit 7" },
                Timeout = 10,
            }, CancellationToken.None);

            Assert.Equal(("to-out\n", "to-err\n", 7), (result.Stdout.ToStringUtf8(), result.Stderr.ToStringUtf8(), result.ExitCode));
        }
        finally
        {
            await containerd.RemoveSandboxAsync(sandboxId, CancellationToken.None);
        }
    }

    [Fact]
    public async Task StatsOfARunningPodCarryCpuAndMemory()
    {
        var config = containerd.NewSandboxConfig("stats");
        var sandboxId = await containerd.RunSandboxAsync(config, CancellationToken.None);
        try
        {
            var containerId = await containerd.StartContainerAsync(sandboxId, config,
                ContainerdFixture.NewContainerConfig("sleeper", ContainerdFixture.BusyboxImage, "sleep", "3600"), CancellationToken.None);

            var containers = await containerd.Client.ListContainerStatsAsync(
                new ListContainerStatsRequest { Filter = new ContainerStatsFilter { PodSandboxId = sandboxId } }, CancellationToken.None);
            var pods = await containerd.Client.ListPodSandboxStatsAsync(
                new ListPodSandboxStatsRequest { Filter = new PodSandboxStatsFilter { Id = sandboxId } }, CancellationToken.None);

            var stats = Assert.Single(containers.Stats);
            Assert.Equal(containerId, stats.Attributes.Id);
            Assert.True(stats.Memory.WorkingSetBytes.Value > 0, stats.ToString());
            Assert.NotNull(stats.Cpu.UsageCoreNanoSeconds);
            var pod = Assert.Single(pods.Stats);
            Assert.Equal(config.Metadata.Uid, pod.Attributes.Metadata.Uid);
            Assert.True(pod.Linux.Memory.WorkingSetBytes.Value > 0, pod.ToString());
        }
        finally
        {
            await containerd.RemoveSandboxAsync(sandboxId, CancellationToken.None);
        }
    }

    [Fact]
    public async Task StopAndRemoveTakeTheSandboxItsContainersAndWithCleanupItsCgroupsAway()
    {
        var config = containerd.NewSandboxConfig("gone", PodCgroups.Burstable);
        var sandboxId = await containerd.RunSandboxAsync(config, CancellationToken.None);
        var containerId = await containerd.StartContainerAsync(sandboxId, config,
            ContainerdFixture.NewContainerConfig("sleeper", ContainerdFixture.BusyboxImage, "sleep", "3600"), CancellationToken.None);
        var cgroups = new PodCgroups();
        var uid = config.Metadata.Uid;
        Assert.Contains(uid, cgroups.FindPodUids());

        await containerd.Client.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandboxId }, CancellationToken.None);
        var stopped = (await containerd.Client.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId }, CancellationToken.None)).Status;
        Assert.Equal(PodSandboxState.SandboxNotready, stopped.State);
        var container = (await containerd.Client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, CancellationToken.None)).Status;
        Assert.Equal(ContainerState.ContainerExited, container.State);

        await containerd.Client.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandboxId }, CancellationToken.None);
        var error = await Assert.ThrowsAsync<CriException>(() =>
            containerd.Client.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId }, CancellationToken.None));
        Assert.True(error.IsNotFound, error.Message);
        var left = await containerd.Client.ListContainersAsync(
            new ListContainersRequest { Filter = new ContainerFilter { PodSandboxId = sandboxId } }, CancellationToken.None);
        Assert.Empty(left.Containers);

        // containerd leaves the pod-level cgroup behind: removing it is the kubelet's job.
        var removal = cgroups.RemovePod(uid);
        Assert.True(removal.Complete, string.Join("; ", removal.Failed));
        Assert.NotEmpty(removal.Removed);
        Assert.DoesNotContain(uid, cgroups.FindPodUids());
        foreach (var hierarchy in cgroups.Hierarchies())
        {
            Assert.False(Directory.Exists(Path.Combine(hierarchy, "kubepods", "burstable", "pod" + uid)), $"pod cgroup left in {hierarchy}");
        }
    }

    [Fact]
    public async Task SandboxesAreListedByLabel()
    {
        var config = containerd.NewSandboxConfig("listed");
        var sandboxId = await containerd.RunSandboxAsync(config, CancellationToken.None);
        try
        {
            var listed = await containerd.Client.ListPodSandboxAsync(new ListPodSandboxRequest
            {
                Filter = new PodSandboxFilter { LabelSelector = { ["io.kubernetes.pod.uid"] = config.Metadata.Uid } },
            }, CancellationToken.None);

            var sandbox = Assert.Single(listed.Items);
            Assert.Equal(sandboxId, sandbox.Id);
            Assert.Equal(PodSandboxState.SandboxReady, sandbox.State);
        }
        finally
        {
            await containerd.RemoveSandboxAsync(sandboxId, CancellationToken.None);
        }
    }

    private async Task<string> ExecAsync(string containerId, params string[] command)
    {
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = 10 };
        request.Cmd.AddRange(command);
        var result = await containerd.Client.ExecSyncAsync(request, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited {result.ExitCode}: {result.Stderr.ToStringUtf8()}");
        return result.Stdout.ToStringUtf8();
    }

    private static async Task<string> HttpGetEventuallyAsync(IPEndPoint endpoint)
    {
        var body = "";
        Exception? last = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.ConnectAsync(endpoint, timeout.Token);
                var stream = client.GetStream();
                await stream.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), timeout.Token);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                body = await reader.ReadToEndAsync(timeout.Token);
                return body.StartsWith("HTTP/1.", StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                last = ex;
                return false;
            }
        }, Wait, () => $"GET http://{endpoint}/ never answered: {last?.Message}");
        return body;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The host's address on its default route: hostPorts are DNATed for the node's own addresses.
    private static IPAddress NodeAddress()
    {
        var defaultInterface = File.ReadLines("/proc/net/route").Skip(1)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .First(fields => fields[1] == "00000000")[0];
        return NetworkInterface.GetAllNetworkInterfaces()
            .Single(nic => nic.Name == defaultInterface)
            .GetIPProperties().UnicastAddresses
            .Select(address => address.Address)
            .First(address => address.AddressFamily == AddressFamily.InterNetwork);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(?:Z|[+-]\d\d:\d\d) (stdout|stderr) F (.*)$")]
    private static partial Regex CriLogLine();
}
