namespace Korral.Proxy.Rules;

/// <summary>
/// One port of one Service, with everything the rules need: the addresses it is reached on, its policies and its
/// endpoints (from the EndpointSlices, matched by port name and protocol). Built by <see cref="ServiceCompiler"/>.
/// </summary>
public sealed class ServicePortInfo
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The service port's name ("" for a single unnamed port).</summary>
    public required string PortName { get; init; }

    /// <summary>Lower-case iptables protocol: tcp, udp or sctp.</summary>
    public required string Protocol { get; init; }

    public required int Port { get; init; }

    /// <summary>0 when the port has no node port.</summary>
    public int NodePort { get; init; }

    public required string ClusterIP { get; init; }

    public IReadOnlyList<string> ExternalIPs { get; init; } = [];

    /// <summary>status.loadBalancer.ingress IPs of a LoadBalancer service.</summary>
    public IReadOnlyList<string> LoadBalancerIPs { get; init; } = [];

    /// <summary>spec.loadBalancerSourceRanges (IPv4 CIDRs): only these sources may use the load-balancer IPs.</summary>
    public IReadOnlyList<string> LoadBalancerSourceRanges { get; init; } = [];

    /// <summary>ClientIP affinity timeout in seconds; 0 without affinity.</summary>
    public int AffinitySeconds { get; init; }

    /// <summary>internalTrafficPolicy: Local.</summary>
    public bool InternalTrafficLocal { get; init; }

    /// <summary>externalTrafficPolicy: Local (as written; it only matters when the port is externally accessible).</summary>
    public bool ExternalTrafficLocal { get; init; }

    /// <summary>Endpoints in a stable order (address, then port).</summary>
    public IReadOnlyList<ProxyEndpoint> Endpoints { get; init; } = [];

    /// <summary>"namespace/name:port" (or "namespace/name" for an unnamed port), as kube-proxy names a service port.</summary>
    public string NameString => PortName.Length == 0 ? $"{Namespace}/{Name}" : $"{Namespace}/{Name}:{PortName}";

    public bool ExternallyAccessible => NodePort != 0 || ExternalIPs.Count > 0 || LoadBalancerIPs.Count > 0;

    public bool ExternalPolicyLocal => ExternallyAccessible && ExternalTrafficLocal;

    public bool InternalPolicyLocal => InternalTrafficLocal;

    /// <summary>Cluster endpoints are needed for Cluster internal policy, and for any external traffic (short-circuiting local sources).</summary>
    public bool UsesClusterEndpoints => !InternalPolicyLocal || ExternallyAccessible;

    public bool UsesLocalEndpoints => InternalPolicyLocal || ExternalPolicyLocal;
}
