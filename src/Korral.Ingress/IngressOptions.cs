using System.Net;
using System.Net.Sockets;
using Korral.Ingress.Nginx;

namespace Korral.Ingress;

/// <summary>
/// Settings of the ingress controller of one node. Defaults follow ingress-nginx where it has one.
/// <see cref="Validate"/> runs once at start and lists every problem.
/// </summary>
public sealed record IngressOptions
{
    /// <summary>The controller's own directory: nginx's prefix, configuration, pid file, temp dirs and certificates (see <see cref="NginxLayout"/>).</summary>
    public required string DataDir { get; init; }

    /// <summary>The node this controller runs on: its addresses go into the Ingresses' status.loadBalancer.</summary>
    public required string NodeName { get; init; }

    /// <summary>The port plain HTTP is served on (80).</summary>
    public int HttpPort { get; init; } = 80;

    /// <summary>The port HTTPS is served on (443).</summary>
    public int HttpsPort { get; init; } = 443;

    /// <summary>
    /// The addresses nginx listens on. Empty (the default): every IPv4 address, and every IPv6 address when the host has
    /// IPv6, as ingress-nginx does on its host ports.
    /// </summary>
    public IReadOnlyList<IPAddress> ListenAddresses { get; init; } = [];

    /// <summary>The nginx binary: a path, or a name looked up on PATH, /usr/sbin and /sbin (Debian's nginx package).</summary>
    public string NginxPath { get; init; } = "nginx";

    /// <summary>
    /// The IngressClass this controller implements. "nginx", so that manifests written for ingress-nginx
    /// (<c>ingressClassName: nginx</c>, or the <c>kubernetes.io/ingress.class: nginx</c> annotation) work unchanged.
    /// </summary>
    public string IngressClassName { get; init; } = "nginx";

    /// <summary>
    /// spec.controller of our IngressClass; Ingresses naming any IngressClass with this controller are ours too. Not
    /// ingress-nginx's "k8s.io/ingress-nginx": a real ingress-nginx installed beside korral keeps classes of its own.
    /// </summary>
    public string ControllerName { get; init; } = "korral.io/ingress-nginx";

    /// <summary>
    /// Create the IngressClass <see cref="IngressClassName"/> at start when it does not exist, marked as the cluster's
    /// default (ingressclass.kubernetes.io/is-default-class: "true"), as k3s ships its traefik class. An existing class
    /// is left as its owner made it.
    /// </summary>
    public bool CreateIngressClass { get; init; } = true;

    /// <summary>Write status.loadBalancer.ingress of our Ingresses. One writer per cluster (on servers, not on agents).</summary>
    public bool WriteStatus { get; init; } = true;

    /// <summary>
    /// The addresses (IPs or host names) to publish in status.loadBalancer.ingress instead of this node's (ingress-nginx's
    /// --publish-status-address). Empty: the node's ExternalIP addresses, else its InternalIP addresses.
    /// </summary>
    public IReadOnlyList<string> PublishAddresses { get; init; } = [];

    /// <summary>nginx worker processes; 0 (the default): one per CPU.</summary>
    public int WorkerProcesses { get; init; }

    /// <summary>Connections per worker (ingress-nginx: 16384).</summary>
    public int WorkerConnections { get; init; } = 16384;

    /// <summary>How long old workers may finish requests after a reload (ingress-nginx: 240 s).</summary>
    public TimeSpan WorkerShutdownTimeout { get; init; } = TimeSpan.FromSeconds(240);

    /// <summary>
    /// Least time between two regenerations of the configuration: changes within it are taken together, so a burst of
    /// endpoint changes costs one reload (ingress-nginx rate-limits its syncs the same way).
    /// </summary>
    public TimeSpan MinSyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long nginx gets to stop (SIGTERM) before SIGKILL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long nginx gets to bind its ports at start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>nginx's access log file; null (the default): none (it would grow without rotation).</summary>
    public string? AccessLogPath { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Every problem with these options (empty when they are usable), each saying what to change.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            problems.Add("DataDir: required (the controller's directory for nginx's files)");
        }

        if (string.IsNullOrWhiteSpace(NodeName))
        {
            problems.Add("NodeName: required (the node this controller runs on)");
        }

        foreach (var (name, port) in new[] { (nameof(HttpPort), HttpPort), (nameof(HttpsPort), HttpsPort) })
        {
            if (port is < 1 or > 65535)
            {
                problems.Add($"{name}: {port} is not a port (1-65535)");
            }
        }

        if (HttpPort == HttpsPort)
        {
            problems.Add($"HttpsPort: must differ from HttpPort ({HttpPort})");
        }

        if (string.IsNullOrWhiteSpace(NginxPath))
        {
            problems.Add("NginxPath: required (\"nginx\" finds Debian's nginx)");
        }

        if (string.IsNullOrWhiteSpace(IngressClassName))
        {
            problems.Add("IngressClassName: required");
        }

        if (string.IsNullOrWhiteSpace(ControllerName) || !ControllerName.Contains('/', StringComparison.Ordinal))
        {
            problems.Add($"ControllerName: \"{ControllerName}\" must be a domain-prefixed path such as korral.io/ingress-nginx");
        }

        if (WorkerProcesses < 0)
        {
            problems.Add("WorkerProcesses: must not be negative (0: one per CPU)");
        }

        if (WorkerConnections < 16)
        {
            problems.Add("WorkerConnections: at least 16");
        }

        if (MinSyncInterval < TimeSpan.Zero || StopTimeout <= TimeSpan.Zero || StartTimeout <= TimeSpan.Zero || WorkerShutdownTimeout <= TimeSpan.Zero)
        {
            problems.Add("MinSyncInterval must not be negative; StopTimeout, StartTimeout and WorkerShutdownTimeout must be positive");
        }

        return problems;
    }

    /// <summary>The addresses to listen on: <see cref="ListenAddresses"/>, or the any-addresses the host supports.</summary>
    public IReadOnlyList<IPAddress> EffectiveListenAddresses() =>
        ListenAddresses.Count > 0 ? ListenAddresses
        : Socket.OSSupportsIPv6 && File.Exists("/proc/net/if_inet6") ? [IPAddress.Any, IPAddress.IPv6Any]
        : [IPAddress.Any];

    /// <summary>The part of the options nginx.conf depends on.</summary>
    public NginxRenderOptions Render(NginxLayout layout) => new()
    {
        Layout = layout,
        HttpPort = HttpPort,
        HttpsPort = HttpsPort,
        ListenAddresses = EffectiveListenAddresses(),
        WorkerProcesses = WorkerProcesses,
        WorkerConnections = WorkerConnections,
        WorkerShutdownTimeout = WorkerShutdownTimeout,
        AccessLogPath = AccessLogPath,
    };
}
