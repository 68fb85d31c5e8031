using Korral.Dns.Cluster;
using Korral.Dns.Wire;

namespace Korral.Dns.Zone;

public sealed partial class ClusterZone
{
    private ZoneAnswer ServiceAnswer(ServiceEntry service, string owner, DnsType type, int depth)
    {
        if (service.Kind == ServiceKind.ExternalName)
        {
            return ExternalNameAnswer(service, owner, type, depth);
        }

        if (type == DnsType.SRV)
        {
            return SrvAnswer(service, owner, _ => true);
        }

        return Addresses(owner, type, service.Kind == ServiceKind.ClusterIP ? service.ClusterIPs : service.Endpoints.Select(e => e.Address).Distinct());
    }

    private ZoneAnswer ExternalNameAnswer(ServiceEntry service, string owner, DnsType type, int depth)
    {
        var target = service.ExternalName ?? "";
        if (target.Length == 0)
        {
            return NoData();
        }

        var answer = Positive(DnsRecord.Cname(owner, _ttl, target));
        if (type == DnsType.CNAME)
        {
            return answer;
        }

        var lower = target.ToLowerInvariant();
        if (!InZone(lower))
        {
            answer.Chase = target;
            return answer;
        }

        // A CNAME to another cluster name is followed here; a chain of them (or a loop) stops after a few steps.
        if (depth < MaxCnameDepth)
        {
            var next = ResolveInZone(lower, target, type, depth + 1);
            answer.Answers.AddRange(next.Answers);
            answer.Additionals.AddRange(next.Additionals);
        }

        return answer;
    }

    /// <summary>
    /// <c>&lt;label&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c>: an endpoint by hostname or dashed address, or <c>_&lt;proto&gt;</c>, the
    /// empty non-terminal above the named ports' SRV records.
    /// </summary>
    private ZoneAnswer BelowService(ServiceEntry service, string label, string owner, DnsType type)
    {
        if (service.Kind == ServiceKind.ExternalName)
        {
            return NameError();
        }

        if (label.StartsWith('_'))
        {
            var protocol = label[1..];
            return AllPorts(service).Any(p => p.Name.Length > 0 && p.Protocol == protocol) ? NoData() : NameError();
        }

        return service.EndpointsByHostname.TryGetValue(label, out var endpoints)
            ? Addresses(owner, type, endpoints.Select(e => e.Address))
            : NameError();
    }

    private ZoneAnswer PortAnswer(ServiceEntry service, string portLabel, string protocolLabel, string owner, DnsType type)
    {
        if (!portLabel.StartsWith('_') || !protocolLabel.StartsWith('_') || service.Kind == ServiceKind.ExternalName)
        {
            return NameError();
        }

        var name = portLabel[1..];
        var protocol = protocolLabel[1..];
        bool Selected(ServicePortEntry p) => p.Name == name && p.Protocol == protocol;
        if (!AllPorts(service).Any(Selected))
        {
            return NameError();
        }

        return type is DnsType.SRV or DnsType.ANY ? SrvAnswer(service, owner, Selected) : NoData();
    }

    /// <summary>
    /// SRV records for the selected ports: to the Service's name (cluster IP) or to each ready endpoint (headless), the
    /// targets' addresses in the additional section. Priority 0; weight 100 split evenly over the (port, address)
    /// pairs, as CoreDNS computes it.
    /// </summary>
    private ZoneAnswer SrvAnswer(ServiceEntry service, string owner, Func<ServicePortEntry, bool> selected)
    {
        var serviceName = ServiceName(service.Name, service.Namespace);
        var targets = new List<(ushort Port, string Target, System.Net.IPAddress Address)>();
        if (service.Kind == ServiceKind.ClusterIP)
        {
            foreach (var port in service.Ports.Where(selected))
            {
                targets.AddRange(service.ClusterIPs.Select(ip => (port.Port, serviceName, ip)));
            }
        }
        else
        {
            foreach (var endpoint in service.Endpoints)
            {
                foreach (var port in endpoint.Ports.Where(selected))
                {
                    targets.Add((port.Port, $"{endpoint.Hostname}.{serviceName}", endpoint.Address));
                }
            }
        }

        if (targets.Count == 0)
        {
            return NoData();
        }

        var weight = (ushort)(100 / targets.Count);
        var answer = Positive();
        var seenSrv = new HashSet<(ushort, string)>();
        var seenAddress = new HashSet<(string, System.Net.IPAddress)>();
        foreach (var (port, target, address) in targets)
        {
            if (seenSrv.Add((port, target)))
            {
                answer.Answers.Add(new DnsRecord(owner, DnsType.SRV, DnsClass.IN, _ttl, new SrvData(0, weight, port, target)));
            }

            if (seenAddress.Add((target, address)))
            {
                answer.Additionals.Add(DnsRecord.Address(target, _ttl, address));
            }
        }

        return answer;
    }

    /// <summary>The Service's ports, and for a headless Service also its endpoints' (which the SRV records carry).</summary>
    private static IEnumerable<ServicePortEntry> AllPorts(ServiceEntry service) =>
        service.Kind == ServiceKind.ClusterIP ? service.Ports : service.Ports.Concat(service.Endpoints.SelectMany(e => e.Ports));
}
