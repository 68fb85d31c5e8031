using System.Text;
using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>Services, Endpoints, EndpointSlices, Ingresses, IngressClasses and NetworkPolicies.</summary>
internal static class NetworkPrinters
{
    public static readonly TableColumnDefinition[] ServiceColumns =
    [
        Col.Name,
        Col.Str("Type", "ClusterIP, NodePort, LoadBalancer or ExternalName."),
        Col.Str("Cluster-IP", "The service's cluster IP."),
        Col.Str("External-IP", "External IPs, load balancer ingress points or the external name."),
        Col.Str("Port(s)", "Service ports as port[:nodePort]/protocol."),
        Col.Age,
        Col.Selector("The label selector of the backing pods."),
    ];

    public static readonly TableColumnDefinition[] EndpointsColumns =
    [
        Col.Name,
        Col.Str("Endpoints", "Up to three address:port pairs."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] EndpointSliceColumns =
    [
        Col.Name,
        Col.Str("AddressType", "IPv4, IPv6 or FQDN."),
        Col.Str("Ports", "Up to three ports."),
        Col.Str("Endpoints", "Up to three addresses."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] IngressColumns =
    [
        Col.Name,
        Col.Str("Class", "The IngressClass of the ingress."),
        Col.Str("Hosts", "Hosts the rules match."),
        Col.Str("Address", "Load balancer ingress points."),
        Col.Str("Ports", "80, plus 443 when TLS is configured."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] IngressClassColumns =
    [
        Col.Name,
        Col.Str("Controller", "The controller that implements the class."),
        Col.Str("Parameters", "The resource holding extra parameters."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] NetworkPolicyColumns =
    [
        Col.Name,
        Col.Str("Pod-Selector", "The pods the policy applies to."),
        Col.Age,
    ];

    public static object?[] Service(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var clusterIP = "<none>";
        if (Arr(spec, "clusterIPs") is { Count: > 0 } ips)
        {
            clusterIP = Str(ips[0]);
        }
        else if (Str(spec, "clusterIP") is { Length: > 0 } single)
        {
            clusterIP = single;
        }

        var ports = new StringBuilder();
        if (Arr(spec, "ports") is { } portList)
        {
            foreach (var item in portList)
            {
                var p = item as JsonObject;
                if (ports.Length > 0)
                {
                    ports.Append(',');
                }

                ports.Append(Itoa(Int(p, "port")));
                var nodePort = Int(p, "nodePort");
                if (nodePort > 0)
                {
                    ports.Append(':').Append(Itoa(nodePort));
                }

                ports.Append('/').Append(StrOrNull(p, "protocol") ?? "TCP");
            }
        }

        return
        [
            Name(obj),
            Str(spec, "type"),
            clusterIP,
            ExternalIP(obj, spec),
            ports.Length == 0 ? "<none>" : ports.ToString(),
            Age(obj, now),
            Labels(Obj(spec, "selector")),
        ];
    }

    public static object?[] Endpoints(JsonObject obj, DateTimeOffset now)
    {
        const int max = 3;
        var subsets = Arr(obj, "subsets");
        string text;
        if (subsets is null || subsets.Count == 0)
        {
            text = "<none>";
        }
        else
        {
            var list = new List<string>(max);
            var count = 0;
            var more = false;
            foreach (var item in subsets)
            {
                var subset = item as JsonObject;
                var addresses = Arr(subset, "addresses");
                var addressCount = addresses?.Count ?? 0;
                var ports = Arr(subset, "ports");
                if (ports is null || ports.Count == 0)
                {
                    // Headless services may have no ports: list bare addresses.
                    count += addressCount;
                    for (var i = 0; i < addressCount; i++)
                    {
                        if (list.Count == max)
                        {
                            more = true;
                            break;
                        }

                        list.Add(Str(addresses![i] as JsonObject, "ip"));
                    }

                    continue;
                }

                foreach (var portNode in ports)
                {
                    var port = Int(portNode as JsonObject, "port");
                    count += addressCount;
                    for (var i = 0; i < addressCount; i++)
                    {
                        if (list.Count == max)
                        {
                            more = true;
                            break;
                        }

                        list.Add(JoinHostPort(Str(addresses![i] as JsonObject, "ip"), port));
                    }
                }
            }

            text = string.Join(",", list);
            if (more)
            {
                text += " + " + Itoa(count - max) + " more...";
            }
        }

        return [Name(obj), text, Age(obj, now)];
    }

    public static object?[] EndpointSlice(JsonObject obj, DateTimeOffset now)
    {
        const int max = 3;
        var ports = new List<string>(max);
        var portCount = 0;
        if (Arr(obj, "ports") is { } portList)
        {
            foreach (var item in portList)
            {
                var p = item as JsonObject;
                if (ports.Count < max)
                {
                    ports.Add(IntOrNull(p, "port") is { } n ? Itoa(n) : StrOrNull(p, "name") ?? "*");
                }

                portCount++;
            }
        }

        var addresses = new List<string>(max);
        var addressCount = 0;
        if (Arr(obj, "endpoints") is { } endpoints)
        {
            foreach (var endpoint in endpoints)
            {
                if (Arr(endpoint as JsonObject, "addresses") is not { } list)
                {
                    continue;
                }

                foreach (var address in list)
                {
                    if (addresses.Count < max)
                    {
                        addresses.Add(Str(address));
                    }

                    addressCount++;
                }
            }
        }

        return
        [
            Name(obj),
            Str(obj, "addressType"),
            ListWithMore(ports, portCount, max, "<unset>"),
            ListWithMore(addresses, addressCount, max, "<unset>"),
            Age(obj, now),
        ];
    }

    public static object?[] Ingress(JsonObject obj, DateTimeOffset now)
    {
        const int max = 3;
        var spec = Obj(obj, "spec");
        var rules = Arr(spec, "rules");
        var hosts = new List<string>(max);
        var more = false;
        if (rules is not null)
        {
            foreach (var rule in rules)
            {
                if (hosts.Count == max)
                {
                    more = true;
                }

                var host = Str(rule as JsonObject, "host");
                if (!more && host.Length != 0)
                {
                    hosts.Add(host);
                }
            }
        }

        var hostText = hosts.Count == 0 ? "*" : string.Join(",", hosts);
        if (more)
        {
            hostText += " + " + Itoa(rules!.Count - max) + " more...";
        }

        return
        [
            Name(obj),
            StrOrNull(spec, "ingressClassName") ?? "<none>",
            hostText,
            LoadBalancerIngress(Obj(Obj(obj, "status"), "loadBalancer")),
            Arr(spec, "tls") is { Count: > 0 } ? "80, 443" : "80",
            Age(obj, now),
        ];
    }

    public static object?[] IngressClass(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var parameters = "<none>";
        if (Obj(spec, "parameters") is { } p)
        {
            parameters = Str(p, "kind");
            if (StrOrNull(p, "apiGroup") is { } group)
            {
                parameters += "." + group;
            }

            parameters += "/" + Str(p, "name");
        }

        return [Name(obj), Str(spec, "controller"), parameters, Age(obj, now)];
    }

    public static object?[] NetworkPolicy(JsonObject obj, DateTimeOffset now)
    {
        // podSelector is a required struct upstream: a missing one is the empty selector, printed <none>.
        var podSelector = Obj(Obj(obj, "spec"), "podSelector") ?? new JsonObject();
        return [Name(obj), LabelSelector(podSelector), Age(obj, now)];
    }

    // What the EXTERNAL-IP column shows for each service type (wide form: not shortened).
    private static string ExternalIP(JsonObject obj, JsonObject? spec)
    {
        var externalIPs = Arr(spec, "externalIPs");
        var hasExternal = externalIPs is { Count: > 0 };
        switch (Str(spec, "type"))
        {
            case "ClusterIP" or "NodePort":
                return hasExternal ? JoinStrings(externalIPs!) : "<none>";
            case "LoadBalancer":
                var lb = LoadBalancerIngress(Obj(Obj(obj, "status"), "loadBalancer"));
                if (hasExternal)
                {
                    var parts = new List<string>();
                    if (lb.Length > 0)
                    {
                        parts.AddRange(lb.Split(','));
                    }

                    parts.AddRange(externalIPs!.Select(Str));
                    return string.Join(",", parts);
                }

                return lb.Length > 0 ? lb : "<pending>";
            case "ExternalName":
                return Str(spec, "externalName");
            default:
                return "<unknown>";
        }
    }

    private static string LoadBalancerIngress(JsonObject? loadBalancer)
    {
        if (Arr(loadBalancer, "ingress") is not { Count: > 0 } ingress)
        {
            return "";
        }

        var values = new List<string>(ingress.Count);
        foreach (var item in ingress)
        {
            var entry = item as JsonObject;
            var ip = Str(entry, "ip");
            var hostname = Str(entry, "hostname");
            if (ip.Length != 0)
            {
                values.Add(ip);
            }
            else if (hostname.Length != 0)
            {
                values.Add(hostname);
            }
        }

        return SortedDistinct(values, ",");
    }

    private static string JoinStrings(JsonArray array) => string.Join(",", array.Select(Str));

    private static string JoinHostPort(string host, long port) =>
        host.Contains(':') ? "[" + host + "]:" + Itoa(port) : host + ":" + Itoa(port);
}
