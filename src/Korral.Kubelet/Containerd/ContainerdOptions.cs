namespace Korral.Kubelet.Containerd;

/// <summary>
/// Where the node's own containerd keeps its files and how its CRI plugin is set up. The defaults are a node's layout
/// (<see cref="ForAgent"/> with <see cref="DefaultAgentRoot"/> and <see cref="DefaultState"/>); tests pass temp dirs.
/// </summary>
public sealed record ContainerdOptions
{
    /// <summary>The agent's data directory (k3s: /var/lib/rancher/k3s/agent).</summary>
    public const string DefaultAgentRoot = "/var/lib/korral/agent";

    /// <summary>containerd's state directory: sockets and runtime state, on tmpfs so a reboot forgets it.</summary>
    public const string DefaultState = "/run/korral/containerd";

    /// <summary>The sandbox ("pause") image of current Kubernetes releases.</summary>
    public const string DefaultSandboxImage = "registry.k8s.io/pause:3.10";

    /// <summary>Debian's containernetworking-plugins directory (upstream's default is /opt/cni/bin).</summary>
    public const string DefaultCniBinDir = "/usr/lib/cni";

    /// <summary>containerd's persistent data (content store, snapshots, CRI metadata).</summary>
    public string Root { get; init; } = Path.Combine(DefaultAgentRoot, "containerd");

    /// <summary>containerd's state directory.</summary>
    public string State { get; init; } = DefaultState;

    /// <summary>The gRPC socket (CRI and containerd's own API); the ttrpc socket sits beside it with ".ttrpc" appended.</summary>
    public string Socket { get; init; } = Path.Combine(DefaultState, "containerd.sock");

    /// <summary>Where the rendered config.toml is written.</summary>
    public string ConfigPath { get; init; } = Path.Combine(DefaultAgentRoot, "etc", "containerd", "config.toml");

    /// <summary>containerd's stdout and stderr, appended to.</summary>
    public string LogFile { get; init; } = Path.Combine(DefaultAgentRoot, "containerd", "containerd.log");

    /// <summary>
    /// runc's state root. Its own directory keeps it apart from a system containerd's /run/containerd/runc, where both
    /// would otherwise share the k8s.io namespace's container ids.
    /// </summary>
    public string RuncRoot { get; init; } = Path.Combine(DefaultState, "runc");

    /// <summary>The image every pod sandbox runs (its process holds the pod's namespaces).</summary>
    public string SandboxImage { get; init; } = DefaultSandboxImage;

    /// <summary>Where the CNI plugin binaries are.</summary>
    public string CniBinDir { get; init; } = DefaultCniBinDir;

    /// <summary>Where the CRI plugin looks for the network's conflist (it notices a new file without a restart).</summary>
    public string CniConfDir { get; init; } = Path.Combine(DefaultAgentRoot, "etc", "cni", "net.d");

    /// <summary>The registry hosts directory (certs.d/&lt;host&gt;/hosts.toml), read on every pull.</summary>
    public string RegistryConfigPath { get; init; } = Path.Combine(DefaultAgentRoot, "etc", "containerd", "certs.d");

    /// <summary>The containerd binary: a path, or a name looked up on PATH.</summary>
    public string BinaryPath { get; init; } = "containerd";

    /// <summary>How long a fresh containerd may take before its CRI plugin answers (it usually takes well under a second).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long containerd may take to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every path of a node laid out under an agent root and a state directory.</summary>
    public static ContainerdOptions ForAgent(string agentRoot, string state) => new()
    {
        Root = Path.Combine(agentRoot, "containerd"),
        State = state,
        Socket = Path.Combine(state, "containerd.sock"),
        ConfigPath = Path.Combine(agentRoot, "etc", "containerd", "config.toml"),
        LogFile = Path.Combine(agentRoot, "containerd", "containerd.log"),
        RuncRoot = Path.Combine(state, "runc"),
        CniConfDir = Path.Combine(agentRoot, "etc", "cni", "net.d"),
        RegistryConfigPath = Path.Combine(agentRoot, "etc", "containerd", "certs.d"),
    };

    /// <summary>Every problem with the options, each saying what to change; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (name, path) in new[]
        {
            (nameof(Root), Root), (nameof(State), State), (nameof(Socket), Socket), (nameof(ConfigPath), ConfigPath),
            (nameof(LogFile), LogFile), (nameof(RuncRoot), RuncRoot), (nameof(CniBinDir), CniBinDir),
            (nameof(CniConfDir), CniConfDir), (nameof(RegistryConfigPath), RegistryConfigPath),
        })
        {
            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            {
                errors.Add($"containerd {name} must be an absolute path, not \"{path}\"");
            }
        }

        // sockaddr_un holds 108 bytes including the terminating NUL; the ttrpc socket adds ".ttrpc".
        if (System.Text.Encoding.UTF8.GetByteCount(Socket) + ".ttrpc".Length > 107)
        {
            errors.Add($"containerd Socket \"{Socket}\" is too long for a unix socket (at most 101 bytes, as \".ttrpc\" is appended for the second socket)");
        }

        if (string.IsNullOrWhiteSpace(SandboxImage))
        {
            errors.Add("containerd SandboxImage must name an image, e.g. " + DefaultSandboxImage);
        }

        if (string.IsNullOrWhiteSpace(BinaryPath))
        {
            errors.Add("containerd BinaryPath must name the containerd binary");
        }

        if (StartTimeout <= TimeSpan.Zero || StopTimeout <= TimeSpan.Zero)
        {
            errors.Add("containerd StartTimeout and StopTimeout must be positive");
        }

        return errors;
    }
}
