using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Kinds.Core;

namespace Korral.Api.Defaulting;

/// <summary>
/// Services: scheme defaults (type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port, traffic
/// policies, LoadBalancer node ports), and on create an empty status, clusterIPs synced from clusterIP and the IP
/// family fields. IP and port allocation is the server's; it should call, in this order,
/// <see cref="PatchAllocatedValues"/> (updates), <see cref="NormalizeClusterIPs"/>, <see cref="DefaultIPFamilies"/>
/// (create), then allocate, then validate.
/// </summary>
public sealed class ServiceDefaults : IObjectDefaulter
{
    private readonly IReadOnlyList<string> clusterFamilies;

    /// <param name="clusterFamilies">The service IP families of the cluster, primary first (default: IPv4 only).</param>
    public ServiceDefaults(IReadOnlyList<string>? clusterFamilies = null)
    {
        this.clusterFamilies = clusterFamilies ?? ["IPv4"];
    }

    public void Default(JsonObject obj)
    {
        var spec = JsonAccess.Ensure(obj, "spec");
        JsonAccess.SetIfEmpty(spec, "sessionAffinity", "None");
        switch (JsonAccess.Str(spec, "sessionAffinity"))
        {
            case "None":
                spec.Remove("sessionAffinityConfig");
                break;
            case "ClientIP":
                if (JsonAccess.Long(JsonAccess.Obj(JsonAccess.Obj(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds") is null)
                {
                    spec["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = 10800 } };
                }

                break;
        }

        JsonAccess.SetIfEmpty(spec, "type", "ClusterIP");
        foreach (var (_, port) in JsonAccess.Items(spec, "ports"))
        {
            JsonAccess.SetIfEmpty(port, "protocol", "TCP");
            var target = port["targetPort"];
            if (target is null || JsonAccess.AsString(target) == "" || (JsonAccess.TryGetLong(target, out var t) && t == 0))
            {
                port["targetPort"] = port["port"]?.DeepClone() ?? 0;
            }
        }

        var type = JsonAccess.Str(spec, "type");
        if (ServiceValidator.ExternallyAccessible(spec))
        {
            JsonAccess.SetIfEmpty(spec, "externalTrafficPolicy", "Cluster");
        }

        if (!JsonAccess.Has(spec, "internalTrafficPolicy") && type is "NodePort" or "LoadBalancer" or "ClusterIP")
        {
            spec["internalTrafficPolicy"] = "Cluster";
        }

        if (type == "LoadBalancer")
        {
            JsonAccess.SetIfMissing(spec, "allocateLoadBalancerNodePorts", true);
            foreach (var (_, ingress) in JsonAccess.Items(JsonAccess.Obj(JsonAccess.Obj(obj, "status"), "loadBalancer"), "ingress"))
            {
                if (JsonAccess.Str(ingress, "ip").Length > 0)
                {
                    JsonAccess.SetIfMissing(ingress, "ipMode", "VIP");
                }
            }
        }
    }

    public void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        NormalizeClusterIPs(obj, null);
        DefaultIPFamilies(obj, clusterFamilies);
    }

    /// <summary>
    /// Keeps <c>clusterIP</c> and <c>clusterIPs</c> consistent for clients that set only the singular field
    /// (<paramref name="old"/> is null on create).
    /// </summary>
    public static void NormalizeClusterIPs(JsonObject service, JsonObject? old)
    {
        var spec = JsonAccess.Ensure(service, "spec");
        var clusterIP = JsonAccess.Str(spec, "clusterIP");
        var clusterIPs = JsonAccess.StringList(spec["clusterIPs"]) ?? [];
        if (old is not null)
        {
            var oldSpec = JsonAccess.Obj(old, "spec");
            var oldIP = JsonAccess.Str(oldSpec, "clusterIP");
            var samePlural = JsonAccess.SemanticEquals(spec["clusterIPs"], oldSpec?["clusterIPs"]);
            if (oldIP.Length > 0 && clusterIP.Length == 0)
            {
                if (samePlural)
                {
                    spec.Remove("clusterIPs");
                }

                return;
            }

            if (oldIP.Length > 0 && clusterIP.Length > 0 && oldIP != clusterIP && samePlural)
            {
                spec["clusterIPs"] = new JsonArray(clusterIP);
                return;
            }
        }

        if (clusterIP.Length > 0 && clusterIPs.Count == 0)
        {
            spec["clusterIPs"] = new JsonArray(clusterIP);
        }
    }

    /// <summary>
    /// Sets <c>ipFamilyPolicy</c> (SingleStack; RequireDualStack for headless services without selector) and
    /// <c>ipFamilies</c> (from the cluster IPs, else the cluster's primary family, or all of them for dual-stack
    /// policies) on non-ExternalName services.
    /// </summary>
    public static void DefaultIPFamilies(JsonObject service, IReadOnlyList<string> clusterFamilies)
    {
        var spec = JsonAccess.Ensure(service, "spec");
        if (JsonAccess.Str(spec, "type") == "ExternalName" || clusterFamilies.Count == 0)
        {
            return;
        }

        var headless = ServiceValidator.IsHeadless(spec) || JsonAccess.Str(spec, "clusterIP") == "None";
        var headlessSelectorless = headless && JsonAccess.Count(spec, "selector") == 0;
        if (!JsonAccess.Has(spec, "ipFamilyPolicy"))
        {
            spec["ipFamilyPolicy"] = headlessSelectorless ? "RequireDualStack" : "SingleStack";
        }

        if (JsonAccess.Count(spec, "ipFamilies") > 0)
        {
            return;
        }

        var families = new JsonArray();
        foreach (var ip in JsonAccess.StringList(spec["clusterIPs"]) ?? [])
        {
            if (Validation.Rules.FormatRules.ParseIp(ip) is { } parsed)
            {
                families.Add(parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4");
            }
        }

        if (families.Count == 0)
        {
            var policy = JsonAccess.Str(spec, "ipFamilyPolicy");
            var all = policy is "RequireDualStack" or "PreferDualStack";
            foreach (var f in all ? clusterFamilies : clusterFamilies.Take(1))
            {
                families.Add(f);
            }
        }

        spec["ipFamilies"] = families;
    }

    /// <summary>
    /// On update, keeps the allocated values a client did not send (cluster IPs, node ports by port name, the health
    /// check node port), as upstream does for idempotent replaces.
    /// </summary>
    public static void PatchAllocatedValues(JsonObject service, JsonObject old)
    {
        var spec = JsonAccess.Ensure(service, "spec");
        var oldSpec = JsonAccess.Obj(old, "spec") ?? [];
        static bool NeedsClusterIP(JsonObject s) => JsonAccess.Str(s, "type") != "ExternalName";
        static bool NeedsNodePort(JsonObject s) => JsonAccess.Str(s, "type") == "NodePort"
            || (JsonAccess.Str(s, "type") == "LoadBalancer" && JsonAccess.Bool(s, "allocateLoadBalancerNodePorts") != false);
        if (NeedsClusterIP(oldSpec) && NeedsClusterIP(spec))
        {
            if (JsonAccess.Str(spec, "clusterIP").Length == 0 && oldSpec["clusterIP"] is { } ip)
            {
                spec["clusterIP"] = ip.DeepClone();
            }

            if (JsonAccess.Count(spec, "clusterIPs") == 0 && JsonAccess.Count(oldSpec, "clusterIPs") > 0)
            {
                spec["clusterIPs"] = oldSpec["clusterIPs"]!.DeepClone();
            }
        }

        if (NeedsNodePort(oldSpec) && NeedsNodePort(spec))
        {
            static HashSet<long> Used(JsonObject s) => JsonAccess.Items(s, "ports")
                .Select(p => JsonAccess.Long(p.Item, "nodePort") ?? 0).Where(n => n != 0).ToHashSet();
            var used = Used(oldSpec);
            used.IntersectWith(Used(spec));
            var byName = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (_, p) in JsonAccess.Items(oldSpec, "ports"))
            {
                byName[JsonAccess.Str(p, "name")] = JsonAccess.Long(p, "nodePort") ?? 0;
            }

            foreach (var (_, p) in JsonAccess.Items(spec, "ports"))
            {
                if ((JsonAccess.Long(p, "nodePort") ?? 0) == 0 && byName.TryGetValue(JsonAccess.Str(p, "name"), out var oldPort)
                    && oldPort != 0 && !used.Contains(oldPort))
                {
                    p["nodePort"] = oldPort;
                }
            }
        }

        static bool NeedsHealthCheck(JsonObject s) => JsonAccess.Str(s, "type") == "LoadBalancer" && JsonAccess.Str(s, "externalTrafficPolicy") == "Local";
        if (NeedsHealthCheck(oldSpec) && NeedsHealthCheck(spec) && (JsonAccess.Long(spec, "healthCheckNodePort") ?? 0) == 0
            && oldSpec["healthCheckNodePort"] is { } hc)
        {
            spec["healthCheckNodePort"] = hc.DeepClone();
        }
    }
}
