using System.Collections.Concurrent;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Containerd;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Network;

namespace Korral.Kubelet.Tests.Fixtures;

/// <summary>
/// A real containerd for integration tests, started once per test run through <see cref="ContainerdProcess"/> (use
/// <c>[Collection(ContainerdCollection.Name)]</c>). Everything is its own: a temp root, state, socket and runc root, a CNI
/// conf dir with a bridge <see cref="BridgeName"/> on <see cref="Subnet"/> (never cni0 or 10.42.x, which a running
/// cluster uses), and the offline images from images/build imported into the k8s.io namespace. On dispose it removes
/// every sandbox it ran, stops containerd, removes pod cgroups, the bridge (when no other fixture still uses it) and its
/// directories.
/// </summary>
public sealed class ContainerdFixture : IAsyncLifetime
{
    public const string BridgeName = "kktest0";
    public const string Subnet = "10.199.0.0/24";
    public const string NetworkName = "kktest-pods";

    /// <summary>
    /// host-local's allocations are shared by every fixture on the machine (it locks the directory), so test runs in
    /// several checkouts at once never hand out the same address on the shared bridge.
    /// </summary>
    public const string HostLocalDataDir = "/var/lib/cni/korral-tests";

    public const string PauseImage = "registry.k8s.io/pause:3.10";
    public const string BusyboxImage = "docker.io/library/busybox:1.36";
    public const string NginxImage = "docker.io/library/nginx:latest";
    public const string RedisImage = "docker.io/library/redis:7";

    private static readonly string[] Archives = ["pause.tar", "busybox.tar", "nginx.tar", "redis.tar"];

    private readonly ConcurrentDictionary<string, string> _podUids = new(StringComparer.Ordinal);
    private readonly List<string> _log = [];
    private ContainerdProcess? _process;
    private CriClient? _client;

    public ContainerdFixture()
    {
        // Short: the socket path must fit a sockaddr_un (108 bytes).
        Root = Path.Combine(Path.GetTempPath(), "korral-kk-" + Guid.NewGuid().ToString("n")[..10]);
        Options = ContainerdOptions.ForAgent(Path.Combine(Root, "agent"), Path.Combine(Root, "state")) with
        {
            SandboxImage = PauseImage,
        };
        Network = new CniNetworkOptions
        {
            ConfDir = Options.CniConfDir,
            PodCidr = Subnet,
            NetworkName = NetworkName,
            BridgeName = BridgeName,
            DataDir = HostLocalDataDir,
        };
        PodLogRoot = Path.Combine(Root, "pods");
    }

    /// <summary>The fixture's temp directory; everything it writes is under it.</summary>
    public string Root { get; }

    public ContainerdOptions Options { get; }

    public CniNetworkOptions Network { get; }

    /// <summary>Where pod log directories go (the node's /var/log/pods).</summary>
    public string PodLogRoot { get; }

    public string SocketPath => Options.Socket;

    public ContainerdProcess Process => _process ?? throw new InvalidOperationException("the fixture is not started");

    /// <summary>A CRI client on the fixture's containerd, shared by all tests.</summary>
    public CriClient Client => _client ?? throw new InvalidOperationException("the fixture is not started");

    /// <summary>What containerd's start and stop logged (the containerd log itself is <see cref="ContainerdOptions.LogFile"/>).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Directory.CreateDirectory(Root);
        CniConfig.Write(Network);
        _process = await ContainerdProcess.StartAsync(Options, AddLog, timeout.Token);
        _client = new CriClient(SocketPath);
        var images = await TestImages.DirectoryAsync(timeout.Token);
        foreach (var archive in Archives)
        {
            await ImportAsync(Path.Combine(images, archive), timeout.Token);
        }
    }

    /// <summary>Imports an image archive (OCI layout or docker save) into the CRI's k8s.io namespace.</summary>
    public Task ImportAsync(string archive, CancellationToken cancellationToken) =>
        Command.RunAsync("ctr", ["-a", SocketPath, "-n", "k8s.io", "images", "import", archive], cancellationToken);

    /// <summary>
    /// A sandbox config with a fresh uid and name, its log directory under <see cref="PodLogRoot"/> and the cgroup parent
    /// of its QoS class; the fixture remembers the uid to remove the pod's cgroups at the end.
    /// </summary>
    public PodSandboxConfig NewSandboxConfig(string name, string qosClass = PodCgroups.BestEffort)
    {
        var uid = Guid.NewGuid().ToString();
        var podName = $"{name}-{uid[..8]}";
        _podUids[uid] = podName;
        return new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = podName, Uid = uid, Namespace = "kktest", Attempt = 0 },
            Hostname = podName,
            LogDirectory = Path.Combine(PodLogRoot, $"kktest_{podName}_{uid}"),
            Labels = { ["io.kubernetes.pod.name"] = podName, ["io.kubernetes.pod.namespace"] = "kktest", ["io.kubernetes.pod.uid"] = uid },
            Linux = new LinuxPodSandboxConfig { CgroupParent = PodCgroups.ParentFor(qosClass, uid) },
        };
    }

    /// <summary>Runs a sandbox and returns its id.</summary>
    public async Task<string> RunSandboxAsync(PodSandboxConfig config, CancellationToken cancellationToken) =>
        (await Client.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, cancellationToken)).PodSandboxId;

    /// <summary>
    /// A container config as the kubelet builds one: its own PID namespace (proto3's default would be the pod's), the log
    /// path &lt;name&gt;/0.log under the sandbox's log directory.
    /// </summary>
    public static ContainerConfig NewContainerConfig(string name, string image, params string[] command)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name, Attempt = 0 },
            Image = new ImageSpec { Image = image },
            LogPath = Path.Combine(name, "0.log"),
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
        config.Command.AddRange(command);
        return config;
    }

    /// <summary>Creates and starts a container in a sandbox; returns its id.</summary>
    public async Task<string> StartContainerAsync(string sandboxId, PodSandboxConfig sandbox, ContainerConfig container, CancellationToken cancellationToken)
    {
        var created = await Client.CreateContainerAsync(
            new CreateContainerRequest { PodSandboxId = sandboxId, Config = container, SandboxConfig = sandbox }, cancellationToken);
        await Client.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId }, cancellationToken);
        return created.ContainerId;
    }

    /// <summary>Polls ContainerStatus until <paramref name="condition"/> holds; fails with the last status after the timeout.</summary>
    public async Task<ContainerStatus> WaitForContainerAsync(string containerId, Func<ContainerStatus, bool> condition, TimeSpan timeout)
    {
        ContainerStatus? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = (await Client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, CancellationToken.None)).Status;
            return condition(last);
        }, timeout, () => $"container {containerId} never reached the expected state; last status: {last}");
        return last!;
    }

    /// <summary>Stops and removes a sandbox (and with it its containers), ignoring one that is already gone.</summary>
    public async Task RemoveSandboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await Client.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandboxId }, cancellationToken);
            await Client.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandboxId }, cancellationToken);
        }
        catch (CriException ex) when (ex.IsNotFound)
        {
        }
    }

    public async Task DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var problems = new List<string>();
        if (_client is not null)
        {
            try
            {
                var sandboxes = await _client.ListPodSandboxAsync(new ListPodSandboxRequest(), timeout.Token);
                foreach (var sandbox in sandboxes.Items)
                {
                    await RemoveSandboxAsync(sandbox.Id, timeout.Token);
                }
            }
            catch (CriException ex)
            {
                problems.Add($"removing sandboxes: {ex.Message}");
            }

            _client.Dispose();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        var cgroups = new PodCgroups();
        foreach (var uid in _podUids.Keys)
        {
            problems.AddRange(cgroups.RemovePod(uid).Failed);
        }

        await RemoveBridgeIfUnusedAsync(problems);
        problems.AddRange(await Mounts.UnmountUnderAsync(Root));
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"removing {Root}: {ex.Message}");
        }

        if (problems.Count > 0)
        {
            // Nothing to fail at this point; leave a trace for whoever wonders about leftovers.
            await Console.Error.WriteLineAsync("ContainerdFixture cleanup: " + string.Join("; ", problems));
        }
    }

    private static async Task RemoveBridgeIfUnusedAsync(List<string> problems)
    {
        var ports = $"/sys/class/net/{BridgeName}/brif";
        // Another checkout's fixture may still have pods on the bridge: only an empty bridge goes.
        if (!Directory.Exists(ports) || Directory.EnumerateFileSystemEntries(ports).Any())
        {
            return;
        }

        try
        {
            await Command.RunAsync("ip", ["link", "delete", BridgeName], CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ex.Message);
        }
    }

    private void AddLog(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }
}
