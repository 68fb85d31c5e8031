namespace Korral.Dns.Cluster;

/// <summary>How a Service's name resolves.</summary>
public enum ServiceKind
{
    /// <summary>To its cluster IP(s).</summary>
    ClusterIP,

    /// <summary>clusterIP None: to the addresses of its ready endpoints.</summary>
    Headless,

    /// <summary>A CNAME to spec.externalName.</summary>
    ExternalName,
}
