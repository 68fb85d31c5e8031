using System.Net;
using System.Net.Sockets;
using Korral.Dns.Cluster;
using Korral.Dns.Wire;

namespace Korral.Dns.Zone;

/// <summary>
/// Answers names of the cluster zone as CoreDNS's kubernetes plugin does (the Kubernetes DNS specification 1.1.0):
/// <list type="bullet">
/// <item><c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>: A/AAAA of the cluster IPs, or of every ready endpoint when headless;
/// CNAME for ExternalName; SRV for every port;</item>
/// <item><c>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>: SRV of a named port, targets in the additional section;</item>
/// <item><c>&lt;hostname&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>: a ready endpoint by hostname (StatefulSet pods) or dashed address;</item>
/// <item><c>&lt;a-b-c-d&gt;.&lt;ns&gt;.pod.&lt;zone&gt;</c>: pod records per <see cref="PodRecordsMode"/>;</item>
/// <item>PTR of cluster IPs and endpoint addresses; <c>dns-version.&lt;zone&gt;</c> TXT; the apex SOA and NS.</item>
/// </list>
/// A name that does not exist is NXDOMAIN, a name that exists without the type asked is NOERROR with no answer
/// (NODATA); both carry the zone's SOA in the authority section. Names are matched case-insensitively; owner names
/// echo the question as asked.
/// </summary>
public sealed partial class ClusterZone
{
    private const string SchemaVersion = "1.1.0";
    private const uint SchemaVersionTtl = 28800;
    private const int MaxCnameDepth = 8;

    private readonly IDnsRecords _records;
    private readonly ClusterZoneOptions _options;
    private readonly string _zone;
    private readonly string _dotZone;
    private readonly uint _ttl;

    public ClusterZone(IDnsRecords records, ClusterZoneOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid cluster zone options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        _records = records;
        _options = options;
        _zone = options.Zone.TrimEnd('.').ToLowerInvariant();
        _dotZone = "." + _zone;
        _ttl = options.Ttl;
    }

    public string Zone => _zone;

    /// <summary>The answer for <paramref name="name"/>, or null when the name is not the zone's to answer (forward it).</summary>
    public ZoneAnswer? Resolve(string name, DnsType type)
    {
        var owner = DnsNames.WithoutFinalDot(name);
        var lower = owner.ToLowerInvariant();
        if (InZone(lower))
        {
            return ResolveInZone(lower, owner, type, 0);
        }

        return _options.ReverseZones ? ResolveReverse(lower, owner, type) : null;
    }

    /// <summary>The name is the zone or below it.</summary>
    public bool InZone(string lowerName) => lowerName == _zone || lowerName.EndsWith(_dotZone, StringComparison.Ordinal);

    private ZoneAnswer ResolveInZone(string name, string owner, DnsType type, int depth)
    {
        var relative = name.Length == _zone.Length ? "" : name[..^_dotZone.Length];
        var labels = relative.Length == 0 ? [] : relative.Split('.');
        var n = labels.Length;
        if (n == 0)
        {
            return Apex(owner, type);
        }

        return labels[n - 1] switch
        {
            "dns-version" when n == 1 => type is DnsType.TXT or DnsType.ANY
                ? Positive(new DnsRecord(owner, DnsType.TXT, DnsClass.IN, SchemaVersionTtl, new TxtData([SchemaVersion])))
                : NoData(),
            "dns" when n == 1 => NoData(),
            "dns" when n == 2 && labels[0] == "ns" => Addresses(owner, type, _options.NameserverAddresses),
            "svc" => n switch
            {
                1 => NoData(),
                2 => _records.NamespaceExists(labels[0]) ? NoData() : NameError(),
                3 => _records.FindService(labels[1], labels[0]) is { } service ? ServiceAnswer(service, owner, type, depth) : NameError(),
                4 => _records.FindService(labels[2], labels[1]) is { } service ? BelowService(service, labels[0], owner, type) : NameError(),
                5 => _records.FindService(labels[3], labels[2]) is { } service ? PortAnswer(service, labels[0], labels[1], owner, type) : NameError(),
                _ => NameError(),
            },
            "pod" => n switch
            {
                1 => NoData(),
                3 => PodAnswer(labels[1], labels[0], owner, type),
                _ => NameError(), // CoreDNS answers <ns>.pod.<zone> itself with NXDOMAIN too
            },
            _ => NameError(),
        };
    }

    private ZoneAnswer Apex(string owner, DnsType type)
    {
        switch (type)
        {
            case DnsType.SOA:
                var soa = Soa();
                return Positive(soa with { Name = owner });
            case DnsType.NS:
                var answer = Positive(DnsRecord.Ns(owner, _ttl, NameserverName));
                answer.Additionals.AddRange(_options.NameserverAddresses.Select(a => DnsRecord.Address(NameserverName, _ttl, a)));
                return answer;
            default:
                return NoData();
        }
    }

    private ZoneAnswer PodAnswer(string ns, string label, string owner, DnsType type)
    {
        if (_options.Pods == PodRecordsMode.Disabled || !DashedAddress.TryParse(label, out var address)
            || (_options.Pods == PodRecordsMode.Verified && !_records.PodExists(ns, address)))
        {
            return NameError();
        }

        return Addresses(owner, type, [address]);
    }

    private ZoneAnswer? ResolveReverse(string name, string owner, DnsType type)
    {
        if (!ReverseName.TryParse(name, out var address))
        {
            return null;
        }

        var names = _records.FindAddress(address);
        if (names.Count == 0)
        {
            return null; // not a cluster address: fall through to the upstream resolvers
        }

        if (type is not (DnsType.PTR or DnsType.ANY))
        {
            return NoData();
        }

        var answer = Positive();
        foreach (var entry in names)
        {
            var service = ServiceName(entry.Service, entry.Namespace);
            answer.Answers.Add(DnsRecord.Ptr(owner, _ttl, entry.Hostname is null ? service : $"{entry.Hostname}.{service}"));
        }

        return answer;
    }

    /// <summary>A/AAAA of the addresses of the family asked (ANY: both); NODATA when there are none.</summary>
    private ZoneAnswer Addresses(string owner, DnsType type, IEnumerable<IPAddress> addresses)
    {
        var answer = Positive();
        foreach (var address in addresses)
        {
            if (Matches(type, address))
            {
                answer.Answers.Add(DnsRecord.Address(owner, _ttl, address));
            }
        }

        return answer.Answers.Count > 0 ? answer : NoData();
    }

    private static bool Matches(DnsType type, IPAddress address) => type switch
    {
        DnsType.A => address.AddressFamily == AddressFamily.InterNetwork,
        DnsType.AAAA => address.AddressFamily == AddressFamily.InterNetworkV6,
        DnsType.ANY => true,
        _ => false,
    };

    private string NameserverName => "ns.dns." + _zone;

    private string ServiceName(string service, string ns) => $"{service}.{ns}.svc.{_zone}";

    private DnsRecord Soa() => new(_zone, DnsType.SOA, DnsClass.IN, _ttl,
        new SoaData(NameserverName, "hostmaster." + _zone, _records.Serial, 7200, 1800, 86400, _ttl));

    private static ZoneAnswer Positive(params DnsRecord[] answers)
    {
        var answer = new ZoneAnswer { Rcode = DnsRcode.NoError };
        answer.Answers.AddRange(answers);
        return answer;
    }

    private ZoneAnswer NoData()
    {
        var answer = new ZoneAnswer { Rcode = DnsRcode.NoError };
        answer.Authorities.Add(Soa());
        return answer;
    }

    /// <summary>NXDOMAIN, or SERVFAIL while the records have not synced: the name may yet exist (CoreDNS does the same).</summary>
    private ZoneAnswer NameError()
    {
        var answer = new ZoneAnswer { Rcode = _records.HasSynced ? DnsRcode.NXDomain : DnsRcode.ServFail };
        answer.Authorities.Add(Soa());
        return answer;
    }
}
