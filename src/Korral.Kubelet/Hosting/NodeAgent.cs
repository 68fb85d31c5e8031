using System.Security.Cryptography.X509Certificates;
using Korral.Api.Models;
using Korral.Client;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Containerd;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Images.Mirror;
using Korral.Kubelet.Network;
using Korral.Kubelet.Nodes;
using Korral.Kubelet.Server;
using Korral.Kubelet.Volumes;

namespace Korral.Kubelet.Hosting;

/// <summary>
/// A node on this machine, as `korral server` and `korral agent` run it: the image store and its loopback registry
/// mirror, korral's own containerd (config, registry hosts, child process), the CNI config once the node has a pod CIDR,
/// and the kubelet. Start returns when the node is registered and Ready (or after a bounded wait, with a log line).
/// DisposeAsync stops the kubelet, containerd and the mirror; containers keep running in their shims and the next
/// start adopts them.
/// </summary>
public sealed class NodeAgent : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly NodeAgentOptions _options;
    private RegistryMirror? _mirror;
    private ContainerdProcess? _containerd;
    private CriClient? _cri;
    private Kubelet? _kubelet;
    private KubeletServer? _server;

    private NodeAgent(NodeAgentOptions options) => _options = options;

    /// <summary>The kubelet, once started.</summary>
    public Kubelet Kubelet => _kubelet ?? throw new InvalidOperationException("the node agent is not started");

    /// <summary>The CRI client to the node's containerd.</summary>
    public CriClient Runtime => _cri ?? throw new InvalidOperationException("the node agent is not started");

    public static async Task<NodeAgent> StartAsync(KubeClient client, NodeAgentOptions options, X509Certificate2 clusterCa, CancellationToken cancellationToken)
    {
        var agent = new NodeAgent(options);
        try
        {
            await agent.StartCoreAsync(client, clusterCa, cancellationToken);
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    private async Task StartCoreAsync(KubeClient client, X509Certificate2 clusterCa, CancellationToken cancellationToken)
    {
        var log = _options.Log;
        var root = _options.DataDir;
        Directory.CreateDirectory(root);

        var store = new ImageStore(ImageStore.DefaultDirectory(root));
        await new ImageDirectoryImporter(store, log).ImportNewAsync(ImageDirectoryImporter.DefaultDirectory(root), cancellationToken);
        _mirror = await RegistryMirror.StartAsync(store, new RegistryMirrorOptions { Port = _options.MirrorPort, Log = log }, cancellationToken);

        var containerd = ContainerdOptions.ForAgent(root, Path.Combine(_options.RunDir, "containerd")) with { CniBinDir = _options.CniBinDir };
        RegistryHosts.Write(containerd.RegistryConfigPath, _mirror.Endpoint.ToString().TrimEnd('/'));
        string socket;
        if (_options.RuntimeEndpoint is { } endpoint)
        {
            socket = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint;
        }
        else
        {
            _containerd = await ContainerdProcess.StartAsync(containerd, log, cancellationToken);
            socket = _containerd.SocketPath;
            log($"containerd: {(_containerd.Reused ? "reusing the one running" : "started")} on {socket}");
        }

        _cri = new CriClient(socket);
        foreach (var problem in NodeSysctls.Apply(log))
        {
            log($"node: {problem}");
        }

        var kubeletDir = Path.Combine(root, "kubelet");
        var kubeletOptions = new KubeletOptions
        {
            NodeName = _options.NodeName,
            NodeIp = _options.NodeIp,
            NodeLabels = _options.NodeLabels,
            KubeletDir = kubeletDir,
            PodLogRoot = _options.PodLogRoot,
            ClusterDns = _options.ClusterDns,
            ClusterDomain = _options.ClusterDomain,
            KubeletPort = _options.KubeletPort,
            Time = _options.Time,
            Log = log,
        };
        var networkReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cri = _cri;
        _kubelet = await Kubelet.StartAsync(client, cri, cri, kubeletOptions, kubelet =>
        {
            var objects = new ClusterObjectSource(client, kubelet.Informers);
            var volumes = new VolumeManager(objects, new VolumeManagerOptions { KubeletDirectory = kubeletDir, ClusterCaBundle = clusterCa.ExportCertificatePem(), Log = log, Time = _options.Time });
            var machine = kubelet.Machine!;
            var allocatable = new Dictionary<string, Quantity>
            {
                ["cpu"] = Quantity.Parse(machine.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["memory"] = Quantity.Parse(machine.MemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["ephemeral-storage"] = Quantity.Parse(machine.EphemeralStorageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            return new PodParts(kubeletOptions, cri, objects, volumes, new PodCgroups(), () => kubelet.NodeIp, allocatable, machine.MemoryBytes);
        }, cidr =>
        {
            var path = CniConfig.Write(new CniNetworkOptions
            {
                ConfDir = containerd.CniConfDir,
                PodCidr = cidr,
                BridgeName = _options.BridgeName,
                DataDir = Path.Combine(root, "cni", "networks"),
            });
            log($"node: CNI config {path} for pod CIDR {cidr}");
            networkReady.TrySetResult();
        }, cancellationToken);

        if (_options.ServingCertificate is { } serving)
        {
            _server = await KubeletServer.StartAsync(new KubeletServerOptions
            {
                Port = _options.KubeletPort,
                ServingCertificate = serving,
                ClientCertificateAuthority = clusterCa,
                Time = _options.Time,
                Log = log,
            }, _kubelet.LogSource, _kubelet.Streaming, cancellationToken);
        }
        else
        {
            log("node: no serving certificate: the kubelet server (logs, exec, attach, port-forward) does not run");
        }

        await WaitUntilReadyAsync(networkReady.Task, cancellationToken);
    }

    /// <summary>Waits (bounded) for the pod CIDR and for containerd to report its network ready, then reports node status at once.</summary>
    private async Task WaitUntilReadyAsync(Task cidrAssigned, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        try
        {
            await cidrAssigned.WaitAsync(deadline.Token);
            while (true)
            {
                var status = await _cri!.StatusAsync(new StatusRequest(), deadline.Token);
                if (status.Status?.Conditions.FirstOrDefault(c => c.Type == "NetworkReady") is { Status: true })
                {
                    break;
                }

                // containerd notices a new conflist within a second or so; there is no event to wait on.
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }

            await Kubelet.ReportNodeStatusAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _options.Log($"node: not ready after {ReadyTimeout.TotalSeconds} s (no pod CIDR from the node IPAM controller, or containerd's CNI not ready); going on");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
        }

        _cri?.Dispose();
        if (_containerd is not null)
        {
            await _containerd.DisposeAsync();
        }

        if (_mirror is not null)
        {
            await _mirror.DisposeAsync();
        }
    }
}
