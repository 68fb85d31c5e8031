using System.Net;

namespace Korral.Dns.Cluster;

/// <summary>
/// A Service as DNS sees it, with its ready endpoints merged from all its EndpointSlices. Immutable: a change builds a
/// new entry and swaps it in, so readers never lock.
/// </summary>
public sealed class ServiceEntry
{
    public ServiceEntry(string @namespace, string name, ServiceKind kind, IReadOnlyList<IPAddress> clusterIPs, string? externalName,
        IReadOnlyList<ServicePortEntry> ports, IReadOnlyList<EndpointEntry> endpoints)
    {
        Namespace = @namespace;
        Name = name;
        Kind = kind;
        ClusterIPs = clusterIPs;
        ExternalName = externalName;
        Ports = ports;
        Endpoints = endpoints;
        var byHostname = new Dictionary<string, List<EndpointEntry>>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (!byHostname.TryGetValue(endpoint.Hostname, out var list))
            {
                byHostname[endpoint.Hostname] = list = [];
            }

            list.Add(endpoint);
        }

        EndpointsByHostname = byHostname.ToDictionary(p => p.Key, p => (IReadOnlyList<EndpointEntry>)p.Value, StringComparer.Ordinal);
    }

    public string Namespace { get; }

    public string Name { get; }

    public ServiceKind Kind { get; }

    /// <summary>spec.clusterIPs (empty for headless and ExternalName Services).</summary>
    public IReadOnlyList<IPAddress> ClusterIPs { get; }

    /// <summary>spec.externalName without a final dot, for <see cref="ServiceKind.ExternalName"/>.</summary>
    public string? ExternalName { get; }

    /// <summary>spec.ports.</summary>
    public IReadOnlyList<ServicePortEntry> Ports { get; }

    /// <summary>Ready endpoints, one per (hostname, address).</summary>
    public IReadOnlyList<EndpointEntry> Endpoints { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<EndpointEntry>> EndpointsByHostname { get; }
}
