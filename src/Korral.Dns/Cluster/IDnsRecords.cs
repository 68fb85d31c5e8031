using System.Net;

namespace Korral.Dns.Cluster;

/// <summary>
/// What the cluster zone is answered from: Services with their ready endpoints, namespaces, addresses for PTR, pods.
/// Every lookup is by key (no scans) and lock-free, so that a query costs the same however big the cluster. Names are
/// compared as given: callers pass lower case (Kubernetes names are lower case already).
/// </summary>
public interface IDnsRecords
{
    /// <summary>The first list of every watched resource is in. Until then a name not found is SERVFAIL, not NXDOMAIN.</summary>
    bool HasSynced { get; }

    /// <summary>Changes whenever the records change (the zone's SOA serial): unix seconds of the last change.</summary>
    uint Serial { get; }

    ServiceEntry? FindService(string @namespace, string name);

    bool NamespaceExists(string @namespace);

    /// <summary>The names that own <paramref name="address"/> (cluster IPs, ready endpoint addresses), for PTR.</summary>
    IReadOnlyList<ReverseEntry> FindAddress(IPAddress address);

    /// <summary>A pod with this IP runs in <paramref name="namespace"/> (for <see cref="PodRecordsMode.Verified"/>).</summary>
    bool PodExists(string @namespace, IPAddress address);
}
