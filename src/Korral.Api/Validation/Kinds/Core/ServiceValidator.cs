using System.Net.Sockets;
using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>
/// Services (v1). Expects the server to have normalized <c>clusterIP</c>/<c>clusterIPs</c> and allocated IPs and
/// node ports before validating, as upstream does. Names are DNS-1035 labels.
/// </summary>
public sealed class ServiceValidator : ObjectValidator
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public override bool Namespaced => true;

    public override NameValidator NameRule => NameRules.NameIsDns1035Label;

    public override FieldErrorList ValidateCreate(JsonObject obj) => ValidateService(obj);

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var spec = Spec(obj);
        var oldSpec = Spec(old);
        errs.AddRange(ValidateClusterIPsUpdate(oldSpec, spec));
        errs.AddRange(ValidateIPFamiliesUpdate(oldSpec, spec));
        if (JsonAccess.Str(oldSpec, "type") == "LoadBalancer" && JsonAccess.Str(spec, "type") == "LoadBalancer"
            && JsonAccess.String(oldSpec, "loadBalancerClass") != JsonAccess.String(spec, "loadBalancerClass"))
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("loadBalancerClass"), JsonAccess.Get(spec, "loadBalancerClass"), "may not change once set"));
        }

        if (NeedsHealthCheck(oldSpec) && NeedsHealthCheck(spec)
            && JsonAccess.Long(oldSpec, "healthCheckNodePort") != JsonAccess.Long(spec, "healthCheckNodePort"))
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("healthCheckNodePort"), "field is immutable"));
        }

        errs.AddRange(ValidateService(obj));
        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var spec = Spec(obj);
        var ingressPath = FieldPath.Root("status", "loadBalancer", "ingress");
        var ingresses = JsonAccess.Arr(JsonAccess.Obj(JsonAccess.Obj(obj, "status"), "loadBalancer"), "ingress");
        if (JsonAccess.Str(spec, "type") != "LoadBalancer" && (ingresses?.Count ?? 0) != 0)
        {
            errs.Add(FieldError.Forbidden(ingressPath, "may only be used when `spec.type` is 'LoadBalancer'"));
            return errs;
        }

        for (var i = 0; i < (ingresses?.Count ?? 0); i++)
        {
            var ingress = ingresses![i] as JsonObject ?? [];
            var ip = JsonAccess.Str(ingress, "ip");
            if (ip.Length > 0)
            {
                errs.AddRange(FormatRules.IpAddress(ingressPath.Index(i).Child("ip"), ip));
            }

            var hostname = JsonAccess.Str(ingress, "hostname");
            if (hostname.Length > 0)
            {
                errs.AddRange(NameRules.Dns1123Subdomain(hostname).Select(m => FieldError.Invalid(ingressPath.Index(i).Child("hostname"), hostname, m)));
                if (FormatRules.ParseIp(hostname) is not null)
                {
                    errs.Add(FieldError.Invalid(ingressPath.Index(i).Child("hostname"), hostname, "must be a DNS name, not an IP address"));
                }
            }
        }

        return errs;
    }

    /// <summary>
    /// The node port allocator's check (upstream reports it from allocation, not validation): every node port must lie
    /// in the configured range, e.g. <c>provided port is not in the valid range. The range of valid ports is 30000-32767</c>.
    /// </summary>
    public static FieldErrorList ValidateNodePortRange(JsonObject service, int min, int max)
    {
        var errs = new FieldErrorList();
        foreach (var (i, port) in JsonAccess.Items(JsonAccess.Obj(service, "spec"), "ports"))
        {
            if (JsonAccess.Long(port, "nodePort") is { } nodePort && nodePort != 0 && (nodePort < min || nodePort > max))
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("ports").Index(i).Child("nodePort"), nodePort,
                    $"provided port is not in the valid range. The range of valid ports is {min}-{max}"));
            }
        }

        return errs;
    }

    private FieldErrorList ValidateService(JsonObject obj)
    {
        var errs = Meta(obj);
        var spec = Spec(obj);
        var type = JsonAccess.Str(spec, "type");
        var clusterIPs = JsonAccess.StringList(spec["clusterIPs"]) ?? [];
        var headless = IsHeadless(spec);
        var ports = JsonAccess.Arr(spec, "ports") ?? [];
        if (ports.Count == 0 && !headless && type != "ExternalName")
        {
            errs.Add(FieldError.Required(SpecPath.Child("ports")));
        }

        switch (type)
        {
            case "LoadBalancer" or "NodePort" when headless:
                errs.Add(FieldError.Invalid(SpecPath.Child("clusterIPs").Index(0), clusterIPs[0], $"may not be set to 'None' for {type} services"));
                break;
            case "ExternalName":
                if (clusterIPs.Count > 0)
                {
                    errs.Add(FieldError.Forbidden(SpecPath.Child("clusterIPs"), "may not be set for ExternalName services"));
                }

                if (JsonAccess.Count(spec, "ipFamilies") > 0)
                {
                    errs.Add(FieldError.Forbidden(SpecPath.Child("ipFamilies"), "may not be set for ExternalName services"));
                }

                if (JsonAccess.Has(spec, "ipFamilyPolicy"))
                {
                    errs.Add(FieldError.Forbidden(SpecPath.Child("ipFamilyPolicy"), "may not be set for ExternalName services"));
                }

                var cname = JsonAccess.Str(spec, "externalName");
                if (cname.EndsWith('.'))
                {
                    cname = cname[..^1];
                }

                if (cname.Length > 0)
                {
                    errs.AddRange(NameRules.Dns1123Subdomain(cname).Select(m => FieldError.Invalid(SpecPath.Child("externalName"), cname, m)));
                }
                else
                {
                    errs.Add(FieldError.Required(SpecPath.Child("externalName")));
                }

                break;
        }

        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            errs.AddRange(ValidateServicePort(ports[i] as JsonObject ?? [], ports.Count > 1, portNames, SpecPath.Child("ports").Index(i)));
        }

        if (JsonAccess.Obj(spec, "selector") is { } selector)
        {
            errs.AddRange(ObjectMetaRules.ValidateLabels(selector, SpecPath.Child("selector")));
        }

        var affinity = JsonAccess.Str(spec, "sessionAffinity");
        if (affinity.Length == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("sessionAffinity")));
        }
        else if (affinity is not ("ClientIP" or "None"))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("sessionAffinity"), affinity, ["ClientIP", "None"]));
        }

        var configPath = SpecPath.Child("sessionAffinityConfig");
        if (affinity == "ClientIP")
        {
            var config = JsonAccess.Obj(spec, "sessionAffinityConfig");
            var clientIP = JsonAccess.Obj(config, "clientIP");
            if (config is null)
            {
                errs.Add(FieldError.Required(configPath, "when session affinity type is ClientIP"));
            }
            else if (clientIP is null)
            {
                errs.Add(FieldError.Required(configPath.Child("clientIP"), "when session affinity type is ClientIP"));
            }
            else if (JsonAccess.Long(clientIP, "timeoutSeconds") is not { } timeout)
            {
                errs.Add(FieldError.Required(configPath.Child("clientIP").Child("timeoutSeconds"), "when session affinity type is ClientIP"));
            }
            else if (timeout is <= 0 or > 86400)
            {
                errs.Add(FieldError.Invalid(configPath.Child("clientIP").Child("timeoutSeconds"), timeout, "must be greater than 0 and less than 86400"));
            }
        }
        else if (affinity == "None" && JsonAccess.Has(spec, "sessionAffinityConfig"))
        {
            errs.Add(FieldError.Forbidden(configPath, "must not be set when session affinity is None"));
        }

        errs.AddRange(ValidateClusterIPsRelatedFields(spec));

        var externalIPs = JsonAccess.StringList(spec["externalIPs"]) ?? [];
        for (var i = 0; i < externalIPs.Count; i++)
        {
            var ipErrs = FormatRules.IpAddress(SpecPath.Child("externalIPs").Index(i), externalIPs[i]);
            errs.AddRange(ipErrs.IsEmpty ? ValidateNonSpecialIP(externalIPs[i], SpecPath.Child("externalIPs").Index(i)) : ipErrs);
        }

        if (type.Length == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("type")));
        }
        else if (!Types.Contains(type))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("type"), type, Types));
        }

        if (type == "ClusterIP")
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if ((JsonAccess.Long(ports[i], "nodePort") ?? 0) != 0)
                {
                    errs.Add(FieldError.Forbidden(SpecPath.Child("ports").Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }

        var nodePorts = new HashSet<(string, long)>();
        var seenPorts = new HashSet<(string, long)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var nodePort = JsonAccess.Long(ports[i], "nodePort") ?? 0;
            if (nodePort != 0 && !nodePorts.Add((JsonAccess.Str(ports[i], "protocol"), nodePort)))
            {
                errs.Add(FieldError.Duplicate(SpecPath.Child("ports").Index(i).Child("nodePort"), nodePort));
            }
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = JsonAccess.Str(ports[i], "protocol");
            var port = JsonAccess.Long(ports[i], "port") ?? 0;
            if (!seenPorts.Add((protocol, port)))
            {
                errs.Add(FieldError.Duplicate(SpecPath.Child("ports").Index(i), new GoLiteral(
                    $"core.ServicePort{{Name:\"\", Protocol:{GoSyntax.Quote(protocol)}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}")));
            }
        }

        var ranges = JsonAccess.StringList(spec["loadBalancerSourceRanges"]) ?? [];
        if (ranges.Count > 0)
        {
            var rangesPath = SpecPath.Child("LoadBalancerSourceRanges");
            if (type != "LoadBalancer")
            {
                errs.Add(FieldError.Forbidden(rangesPath, "may only be used when `type` is 'LoadBalancer'"));
            }

            for (var i = 0; i < ranges.Count; i++)
            {
                errs.AddRange(FormatRules.Cidr(rangesPath.Index(i), ranges[i].Trim()));
            }
        }

        if (JsonAccess.Has(spec, "allocateLoadBalancerNodePorts") && type != "LoadBalancer")
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
        }

        if (type == "LoadBalancer" && !JsonAccess.Has(spec, "allocateLoadBalancerNodePorts"))
        {
            errs.Add(FieldError.Required(FieldPath.Root("allocateLoadBalancerNodePorts")));
        }

        if (JsonAccess.String(spec, "loadBalancerClass") is { } lbClass)
        {
            if (type == "LoadBalancer")
            {
                errs.AddRange(PodSpecRules.QualifiedName(lbClass, SpecPath.Child("loadBalancerClass")));
            }
            else
            {
                errs.Add(FieldError.Forbidden(SpecPath.Child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"));
            }
        }

        errs.AddRange(ValidateExternalTrafficPolicy(spec));
        var internalPolicy = JsonAccess.String(spec, "internalTrafficPolicy");
        if (internalPolicy is null && type is "NodePort" or "LoadBalancer" or "ClusterIP")
        {
            errs.Add(FieldError.Required(SpecPath.Child("internalTrafficPolicy")));
        }

        if (internalPolicy is not null && internalPolicy is not ("Cluster" or "Local"))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("internalTrafficPolicy"), internalPolicy, ["Cluster", "Local"]));
        }

        if (JsonAccess.String(spec, "trafficDistribution") is { } distribution && distribution != "PreferClose")
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("trafficDistribution"), distribution, ["PreferClose"]));
        }

        return errs;
    }

    private static FieldErrorList ValidateServicePort(JsonObject port, bool requireName, HashSet<string> names, FieldPath path)
    {
        var errs = new FieldErrorList();
        var name = JsonAccess.Str(port, "name");
        if (requireName && name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name")));
        }
        else if (name.Length != 0)
        {
            errs.AddRange(PodSpecRules.Dns1123Label(name, path.Child("name")));
            if (!names.Add(name))
            {
                errs.Add(FieldError.Duplicate(path.Child("name"), name));
            }
        }

        var number = JsonAccess.Long(port, "port") ?? 0;
        errs.AddRange(FormatRules.PortNumber(number).Select(m => FieldError.Invalid(path.Child("port"), number, m)));
        var protocol = JsonAccess.Str(port, "protocol");
        if (protocol.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("protocol")));
        }
        else if (!Protocols.Contains(protocol))
        {
            errs.Add(FieldError.NotSupported(path.Child("protocol"), protocol, Protocols));
        }

        errs.AddRange(PodSpecRules.ValidatePortNumOrName(port["targetPort"], path.Child("targetPort")));
        if (JsonAccess.String(port, "appProtocol") is { } appProtocol)
        {
            errs.AddRange(PodSpecRules.QualifiedName(appProtocol, path.Child("appProtocol")));
        }

        return errs;
    }

    private static FieldErrorList ValidateExternalTrafficPolicy(JsonObject spec)
    {
        var errs = new FieldErrorList();
        var policy = JsonAccess.Str(spec, "externalTrafficPolicy");
        if (!ExternallyAccessible(spec))
        {
            if (policy.Length != 0)
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("externalTrafficPolicy"), policy, "may only be set for externally-accessible services"));
            }
        }
        else if (policy.Length == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("externalTrafficPolicy")));
        }
        else if (policy is not ("Cluster" or "Local"))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("externalTrafficPolicy"), policy, ["Cluster", "Local"]));
        }

        var healthCheck = JsonAccess.Long(spec, "healthCheckNodePort") ?? 0;
        if (!NeedsHealthCheck(spec))
        {
            if (healthCheck != 0)
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("healthCheckNodePort"), healthCheck,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            }
        }
        else if (healthCheck == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("healthCheckNodePort")));
        }
        else
        {
            errs.AddRange(FormatRules.PortNumber(healthCheck).Select(m => FieldError.Invalid(SpecPath.Child("healthCheckNodePort"), healthCheck, m)));
        }

        return errs;
    }

    private static FieldErrorList ValidateClusterIPsRelatedFields(JsonObject spec)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Str(spec, "type") == "ExternalName")
        {
            return errs;
        }

        var clusterIPsPath = SpecPath.Child("clusterIPs");
        var clusterIP = JsonAccess.Str(spec, "clusterIP");
        var clusterIPs = JsonAccess.StringList(spec["clusterIPs"]) ?? [];
        if (clusterIP.Length != 0)
        {
            if (clusterIPs.Count == 0)
            {
                errs.Add(FieldError.Required(clusterIPsPath));
            }
            else if (clusterIPs[0] != clusterIP)
            {
                errs.Add(FieldError.Invalid(clusterIPsPath, clusterIPs, "first value must match `clusterIP`"));
            }
        }
        else if (clusterIPs.Count != 0)
        {
            errs.Add(FieldError.Invalid(clusterIPsPath, clusterIPs, "must be empty when `clusterIP` is not specified"));
        }

        var families = JsonAccess.StringList(spec["ipFamilies"]) ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < families.Count; i++)
        {
            if (families[i] is not ("IPv4" or "IPv6"))
            {
                errs.Add(FieldError.NotSupported(SpecPath.Child("ipFamilies").Index(i), families[i], ["IPv4", "IPv6"]));
            }

            if (!seen.Add(families[i]))
            {
                errs.Add(FieldError.Duplicate(SpecPath.Child("ipFamilies").Index(i), families[i]));
            }
        }

        if (JsonAccess.String(spec, "ipFamilyPolicy") is { } policy && policy is not ("PreferDualStack" or "RequireDualStack" or "SingleStack"))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("ipFamilyPolicy"), policy, ["PreferDualStack", "RequireDualStack", "SingleStack"]));
        }

        var invalid = false;
        for (var i = 0; i < clusterIPs.Count; i++)
        {
            if (i == 0 && clusterIPs[i] == "None")
            {
                if (clusterIPs.Count > 1)
                {
                    invalid = true;
                    errs.Add(FieldError.Invalid(clusterIPsPath, clusterIPs, "'None' must be the first and only value"));
                }

                continue;
            }

            var ipErrs = FormatRules.IpAddress(clusterIPsPath.Index(i), clusterIPs[i]);
            invalid |= !ipErrs.IsEmpty;
            errs.AddRange(ipErrs);
        }

        if (clusterIPs.Count > 2)
        {
            errs.Add(FieldError.Invalid(clusterIPsPath, clusterIPs, "may only hold up to 2 values"));
        }

        if (invalid)
        {
            return errs;
        }

        if (clusterIPs.Count > 1)
        {
            var first = FormatRules.ParseIp(clusterIPs[0])?.AddressFamily;
            var dual = clusterIPs.Count == 2 && FormatRules.ParseIp(clusterIPs[1])?.AddressFamily is { } second && second != first;
            if (!dual)
            {
                errs.Add(FieldError.Invalid(clusterIPsPath, clusterIPs, "may specify no more than one IP for each IP family"));
            }
        }

        if (!IsHeadless(spec) && clusterIPs.Count > 0 && families.Count > 0)
        {
            for (var i = 0; i < clusterIPs.Count && i < families.Count; i++)
            {
                var isV6 = FormatRules.ParseIp(clusterIPs[i])?.AddressFamily == AddressFamily.InterNetworkV6;
                if (families[i] == "IPv4" && isV6)
                {
                    errs.Add(FieldError.Invalid(clusterIPsPath.Index(i), clusterIPs[i], $"expected an IPv4 value as indicated by `ipFamilies[{i}]`"));
                }

                if (families[i] == "IPv6" && !isV6)
                {
                    errs.Add(FieldError.Invalid(clusterIPsPath.Index(i), clusterIPs[i], $"expected an IPv6 value as indicated by `ipFamilies[{i}]`"));
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateClusterIPsUpdate(JsonObject oldSpec, JsonObject spec)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Str(spec, "type") == "ExternalName" || JsonAccess.Str(oldSpec, "type") == "ExternalName")
        {
            return errs;
        }

        if (IsHeadless(oldSpec) && IsHeadless(spec))
        {
            return errs;
        }

        var path = SpecPath.Child("clusterIPs");
        var oldIPs = JsonAccess.StringList(oldSpec["clusterIPs"]) ?? [];
        var newIPs = JsonAccess.StringList(spec["clusterIPs"]) ?? [];
        if (oldIPs.Count == newIPs.Count)
        {
            for (var i = 0; i < oldIPs.Count; i++)
            {
                if (oldIPs[i] != newIPs[i])
                {
                    errs.Add(FieldError.Invalid(path.Index(i), newIPs, "may not change once set"));
                }
            }
        }
        else if (oldIPs.Count > newIPs.Count)
        {
            if (newIPs.Count == 0)
            {
                errs.Add(FieldError.Invalid(path.Index(0), newIPs, "primary clusterIP can not be unset"));
            }

            if (oldIPs.Count > 0 && newIPs.Count > 0 && newIPs[0] != oldIPs[0])
            {
                errs.Add(FieldError.Invalid(path.Index(0), newIPs, "may not change once set"));
            }

            if (newIPs.Count == 1 && JsonAccess.String(spec, "ipFamilyPolicy") != "SingleStack")
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("ipFamilyPolicy"), JsonAccess.Get(spec, "ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        }
        else if (oldIPs.Count > 0 && newIPs[0] != oldIPs[0])
        {
            errs.Add(FieldError.Invalid(path.Index(0), newIPs, "may not change once set"));
        }

        return errs;
    }

    private static FieldErrorList ValidateIPFamiliesUpdate(JsonObject oldSpec, JsonObject spec)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Str(spec, "type") == "ExternalName" || JsonAccess.Str(oldSpec, "type") == "ExternalName")
        {
            return errs;
        }

        if (IsHeadless(oldSpec) != IsHeadless(spec) || IsHeadless(spec))
        {
            return errs;
        }

        var path = SpecPath.Child("ipFamilies");
        var oldFamilies = JsonAccess.StringList(oldSpec["ipFamilies"]) ?? [];
        var newFamilies = JsonAccess.StringList(spec["ipFamilies"]) ?? [];
        var newIPs = JsonAccess.StringList(spec["clusterIPs"]) ?? [];
        if (oldFamilies.Count == newFamilies.Count)
        {
            for (var i = 0; i < oldFamilies.Count; i++)
            {
                if (oldFamilies[i] != newFamilies[i])
                {
                    errs.Add(FieldError.Invalid(path.Index(0), newFamilies, "may not change once set"));
                }
            }
        }
        else if (oldFamilies.Count > newFamilies.Count)
        {
            if (newIPs.Count == 0)
            {
                errs.Add(FieldError.Invalid(path.Index(0), newFamilies, "primary ipFamily can not be unset"));
            }

            if (newFamilies.Count > 0 && newFamilies[0] != oldFamilies[0])
            {
                errs.Add(FieldError.Invalid(path.Index(0), newIPs, "may not change once set"));
            }

            if (newFamilies.Count == 1 && JsonAccess.String(spec, "ipFamilyPolicy") != "SingleStack")
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("ipFamilyPolicy"), JsonAccess.Get(spec, "ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
        }
        else if (oldFamilies.Count > 0 && newFamilies.Count > 0 && newFamilies[0] != oldFamilies[0])
        {
            errs.Add(FieldError.Invalid(path.Index(0), newIPs, "may not change once set"));
        }

        return errs;
    }

    /// <summary>A headless service has exactly one cluster IP, <c>None</c>.</summary>
    public static bool IsHeadless(JsonObject? spec) =>
        JsonAccess.StringList(JsonAccess.Get(spec, "clusterIPs")) is [ "None" ];

    /// <summary>NodePort and LoadBalancer services, and ClusterIP services with external IPs.</summary>
    public static bool ExternallyAccessible(JsonObject? spec)
    {
        var type = JsonAccess.Str(spec, "type");
        return type is "LoadBalancer" or "NodePort" || (type == "ClusterIP" && JsonAccess.Count(spec, "externalIPs") > 0);
    }

    private static bool NeedsHealthCheck(JsonObject spec) =>
        JsonAccess.Str(spec, "type") == "LoadBalancer" && JsonAccess.Str(spec, "externalTrafficPolicy") == "Local";

    internal static FieldErrorList ValidateNonSpecialIP(string address, FieldPath path)
    {
        var ip = FormatRules.ParseIp(address);
        if (ip is null)
        {
            return [FieldError.Invalid(path, address, "must be a valid IP address")];
        }

        var errs = new FieldErrorList();
        var bytes = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().GetAddressBytes() : ip.GetAddressBytes();
        var v4 = bytes.Length == 4;
        if (bytes.All(b => b == 0))
        {
            errs.Add(FieldError.Invalid(path, address, $"may not be unspecified ({address})"));
        }

        if (v4 ? bytes[0] == 127 : System.Net.IPAddress.IsLoopback(ip))
        {
            errs.Add(FieldError.Invalid(path, address, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }

        if (v4 ? bytes[0] == 169 && bytes[1] == 254 : ip.IsIPv6LinkLocal)
        {
            errs.Add(FieldError.Invalid(path, address, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        }

        if (v4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && (bytes[1] & 0x0f) == 0x02)
        {
            errs.Add(FieldError.Invalid(path, address, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }

        return errs;
    }
}
