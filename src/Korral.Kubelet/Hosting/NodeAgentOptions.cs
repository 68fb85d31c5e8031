using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Korral.Kubelet.Hosting;

/// <summary>
/// Everything a node agent needs to run on this machine: its containerd (its own instance by default, with its own
/// socket and state so it never fights a system containerd), the CNI bridge, the embedded image mirror and the kubelet.
/// </summary>
public sealed record NodeAgentOptions
{
    public required string NodeName { get; init; }

    /// <summary>The node's InternalIP (default: the address of the interface holding the default route).</summary>
    public string? NodeIp { get; init; }

    /// <summary>The agent's state: containerd root, CNI config, image store, kubelet dir (default /var/lib/korral/agent).</summary>
    public required string DataDir { get; init; }

    /// <summary>The run directory (sockets, containerd state); short, because unix socket paths are limited to 107 bytes.</summary>
    public string RunDir { get; init; } = "/run/korral";

    /// <summary>An existing CRI socket to use instead of starting containerd (k3s's --container-runtime-endpoint).</summary>
    public string? RuntimeEndpoint { get; init; }

    public int KubeletPort { get; init; } = 10250;

    public IReadOnlyList<string> ClusterDns { get; init; } = ["10.96.0.10"];

    public string ClusterDomain { get; init; } = "cluster.local";

    public string PodLogRoot { get; init; } = "/var/log/pods";

    public string CniBinDir { get; init; } = "/usr/lib/cni";

    /// <summary>The CNI bridge (its gateway is the first address of the node's pod CIDR).</summary>
    public string BridgeName { get; init; } = "cni0";

    /// <summary>Port of the embedded registry mirror on 127.0.0.1 (0: any free port).</summary>
    public int MirrorPort { get; init; }

    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The kubelet server's certificate (with its key), issued by the cluster CA for the node's name and addresses.</summary>
    public X509Certificate2? ServingCertificate { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>The default agent data dir: /var/lib/korral/agent as root, ~/.korral/agent otherwise.</summary>
    public static string DefaultDataDir() =>
        Environment.UserName == "root"
            ? "/var/lib/korral/agent"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".korral", "agent");

    /// <summary>
    /// The run dir for an agent data dir: /run/korral for the default one, /run/korral-&lt;hash&gt; for others, so that
    /// two agents on one machine (tests) never share a containerd socket.
    /// </summary>
    public static string RunDirFor(string dataDir) =>
        Path.GetFullPath(dataDir) == DefaultDataDir()
            ? "/run/korral"
            : $"/run/korral-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDir))))[..10]}";

    /// <summary>The default node name: the host name, lower-cased (upstream's default).</summary>
    public static string DefaultNodeName() => Environment.MachineName.ToLowerInvariant();
}
