using System.Net;
using Korral.Dns.Cluster;

namespace Korral.Dns.Zone;

/// <summary>How the cluster zone answers; the defaults are CoreDNS's as k3s configures it.</summary>
public sealed record ClusterZoneOptions
{
    /// <summary>The cluster domain (kubelet --cluster-domain), without a final dot.</summary>
    public string Zone { get; init; } = "cluster.local";

    /// <summary>TTL of every record and of negative answers (CoreDNS's kubernetes plugin: 5 s).</summary>
    public uint Ttl { get; init; } = 5;

    public PodRecordsMode Pods { get; init; } = PodRecordsMode.Insecure;

    /// <summary>Addresses of <c>ns.dns.&lt;zone&gt;</c>, the zone's name server: the kube-dns Service's cluster IP(s).</summary>
    public IReadOnlyList<IPAddress> NameserverAddresses { get; init; } = [];

    /// <summary>
    /// Answer PTR for cluster IPs and endpoint addresses under in-addr.arpa and ip6.arpa; other reverse names are
    /// forwarded (k3s: <c>kubernetes cluster.local in-addr.arpa ip6.arpa</c> with <c>fallthrough in-addr.arpa ip6.arpa</c>).
    /// </summary>
    public bool ReverseZones { get; init; } = true;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var zone = Zone.TrimEnd('.');
        if (zone.Length == 0 || zone.Length > 200 || zone.Split('.').Any(l => l.Length is 0 or > 63))
        {
            errors.Add($"zone \"{Zone}\" is not a domain name such as cluster.local");
        }

        if (Ttl > 3600)
        {
            errors.Add($"ttl {Ttl} is over an hour; cluster records change as pods come and go");
        }

        return errors;
    }
}
