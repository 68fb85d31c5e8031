using Korral.Cli;
using Korral.Kubelet.Hosting;

namespace Korral.Commands;

/// <summary>The node agent's flags, shared by `korral server` (which is also a node) and `korral agent` (names after k3s).</summary>
public static class AgentFlags
{
    public const string Usage = """
          --node-name NAME                   this node's name (default: the host name, lower-cased)
          --node-ip ADDR                     this node's InternalIP (default: the address of the default route's interface)
          --agent-data-dir DIR               the agent's state: containerd, images, volumes (default /var/lib/korral/agent, or DATA-DIR/agent)
          --container-runtime-endpoint SOCK  use this CRI socket instead of starting korral's own containerd
          --kubelet-port PORT                port of the kubelet's HTTPS server (default 10250)
          --cluster-dns ADDR                 DNS server pods resolve with (default 10.96.0.10)
          --cluster-domain DOMAIN            cluster domain (default cluster.local)
          --pod-bridge NAME                  name of the pod bridge (default cni0)
          --image-mirror-port PORT           port of the embedded image mirror on 127.0.0.1 (default: any free port)
        """;

    public static readonly string[] ValueFlags =
    [
        "node-name", "node-ip", "agent-data-dir", "container-runtime-endpoint", "kubelet-port", "cluster-dns", "cluster-domain",
        "pod-bridge", "image-mirror-port",
    ];

    /// <summary>The agent options from the flags; <paramref name="defaultDataDir"/> replaces the default data dir when set.</summary>
    public static NodeAgentOptions Options(Flags flags, string? defaultDataDir, Action<string> log, IReadOnlyDictionary<string, string>? labels = null)
    {
        var dataDir = Path.GetFullPath(flags.Get("agent-data-dir") ?? defaultDataDir ?? NodeAgentOptions.DefaultDataDir());
        var port = flags.GetInt("kubelet-port", 10250);
        if (port is < 1 or > 65535)
        {
            throw new UsageException($"--kubelet-port {port} is out of range");
        }

        var nodeName = flags.Get("node-name") ?? NodeAgentOptions.DefaultNodeName();
        if (!System.Text.RegularExpressions.Regex.IsMatch(nodeName, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"))
        {
            throw new UsageException($"--node-name \"{nodeName}\" is not a valid node name (lower-case letters, digits, '-' and '.')");
        }

        if (flags.Get("node-ip") is { } ip && !System.Net.IPAddress.TryParse(ip, out _))
        {
            throw new UsageException($"--node-ip \"{ip}\" is not an IP address");
        }

        return new NodeAgentOptions
        {
            NodeName = nodeName,
            NodeIp = flags.Get("node-ip"),
            DataDir = dataDir,
            RunDir = NodeAgentOptions.RunDirFor(dataDir),
            RuntimeEndpoint = flags.Get("container-runtime-endpoint"),
            KubeletPort = port,
            ClusterDns = flags.GetAll("cluster-dns") is { Count: > 0 } dns ? dns : ["10.96.0.10"],
            ClusterDomain = flags.Get("cluster-domain") ?? "cluster.local",
            BridgeName = flags.Get("pod-bridge") ?? "cni0",
            MirrorPort = flags.GetInt("image-mirror-port", 0),
            NodeLabels = labels ?? new Dictionary<string, string>(),
            Log = log,
        };
    }
}
