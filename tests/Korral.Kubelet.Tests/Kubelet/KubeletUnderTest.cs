using System.Globalization;
using Korral.Api.Models;
using Korral.Client;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Hosting;
using Korral.Kubelet.Nodes;
using Korral.Kubelet.Tests.Fixtures;
using Korral.Kubelet.Volumes;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>
/// A real <see cref="Hosting.Kubelet"/> on the fixture's containerd, as <c>NodeAgent</c> builds one (pod parts, volume
/// manager, cgroups) but without the node agent around it: no image mirror, no CNI config of its own (the fixture's
/// containerd already has its bridge network), no kubelet server. It runs as the node it registers, with a node
/// identity (system:node:&lt;name&gt;), on its own kubelet and pod-log directories; every CRI call it makes is recorded.
/// <see cref="RestartAsync"/> stops it and starts a new one on the same node name and directories, as a restarted
/// agent would.
/// </summary>
public sealed class KubeletUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ContainerdFixture _containerd;
    private readonly KubeletApiServer _api;
    private readonly KubeClient _client;
    private readonly List<string> _log = [];
    private Hosting.Kubelet? _kubelet;

    private KubeletUnderTest(ContainerdFixture containerd, KubeletApiServer api, string root)
    {
        _containerd = containerd;
        _api = api;
        Root = root;
        NodeName = $"kk-node-{Guid.NewGuid().ToString("N")[..8]}";
        _client = api.ClientFor($"system:node:{NodeName}", ["system:nodes"]);
    }

    public string NodeName { get; }

    /// <summary>The temporary directory holding the kubelet's state and the pod logs.</summary>
    public string Root { get; }

    public string KubeletDir => Path.Combine(Root, "kubelet");

    public string PodLogRoot => Path.Combine(Root, "pods");

    /// <summary>The kubelet running now (a restart starts a new one).</summary>
    public Hosting.Kubelet Kubelet => _kubelet ?? throw new InvalidOperationException("the kubelet is not running");

    /// <summary>The CRI calls of the kubelet running now (a restart starts a new record).</summary>
    public RecordingRuntime Calls { get; private set; } = null!;

    /// <summary>What the kubelet logged, across restarts.</summary>
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

    public static async Task<KubeletUnderTest> StartAsync(ContainerdFixture containerd, KubeletApiServer api)
    {
        var node = new KubeletUnderTest(containerd, api, Directory.CreateTempSubdirectory("korral-kubelet-").FullName);
        try
        {
            await node.StartKubeletAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Stops the kubelet (its containers keep running in their shims) and starts a new one on the same state.</summary>
    public async Task RestartAsync()
    {
        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
            _kubelet = null;
        }

        AddLog("--- kubelet restarted ---");
        await StartKubeletAsync();
    }

    /// <summary>The last lines the kubelet logged, for failure messages.</summary>
    public string LogTail(int lines = 40) => string.Join('\n', Log.TakeLast(lines));

    private async Task StartKubeletAsync()
    {
        var options = new KubeletOptions
        {
            NodeName = NodeName,
            NodeIp = "127.0.0.1",
            KubeletDir = KubeletDir,
            PodLogRoot = PodLogRoot,
            KubeletPort = 0,
            // Crash-loop back-off of 1 s doubling to 4 s instead of upstream's 10 s to 5 min: a crash loop shows in seconds.
            BackoffInitial = TimeSpan.FromSeconds(1),
            BackoffMax = TimeSpan.FromSeconds(4),
            // Pods resync (and configMap/secret volumes refresh) every 2 s instead of upstream's minute.
            ResyncInterval = TimeSpan.FromSeconds(2),
            Log = AddLog,
        };
        var runtime = RecordingRuntime.Wrap(_containerd.Client, out var calls);
        Calls = calls;
        var caBundle = _api.Api.Certificates.Authority.ExportCertificatePem();
        using var timeout = new CancellationTokenSource(StartTimeout);
        _kubelet = await Hosting.Kubelet.StartAsync(_client, runtime, _containerd.Client, options, kubelet =>
        {
            var objects = new ClusterObjectSource(_client, kubelet.Informers);
            var volumes = new VolumeManager(objects, new VolumeManagerOptions { KubeletDirectory = KubeletDir, ClusterCaBundle = caBundle, Log = AddLog });
            var machine = MachineInfo.Read(KubeletDir);
            var allocatable = new Dictionary<string, Quantity>
            {
                ["cpu"] = Quantity.Parse(machine.Cpus.ToString(CultureInfo.InvariantCulture)),
                ["memory"] = Quantity.Parse(machine.MemoryBytes.ToString(CultureInfo.InvariantCulture)),
                ["ephemeral-storage"] = Quantity.Parse(machine.EphemeralStorageBytes.ToString(CultureInfo.InvariantCulture)),
            };
            return new PodParts(options, _containerd.Client, objects, volumes, new PodCgroups(), () => kubelet.NodeIp, allocatable, machine.MemoryBytes);
        }, onPodCidr: null, timeout.Token);
    }

    private void AddLog(string line)
    {
        lock (_log)
        {
            _log.Add($"{DateTimeOffset.Now:HH:mm:ss.fff} {line}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
            _kubelet = null;
        }

        _client.Dispose();
        await Mounts.UnmountUnderAsync(Root);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"KubeletUnderTest cleanup: removing {Root}: {e.Message}");
        }
    }
}
