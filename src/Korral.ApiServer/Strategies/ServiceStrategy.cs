using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Resources;
using Korral.ApiServer.Allocation;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>
/// Services: cluster IPs from the service range and node ports from the node port range, allocated when the Service is
/// written and given back when it goes away or stops needing them. Status stays with the status subresource.
/// </summary>
public sealed class ServiceStrategy(ResourceInfo resource, IpAllocator ips, PortAllocator ports) : DefaultStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        base.PrepareForCreate(obj, context);
        ServiceDefaults.NormalizeClusterIPs(obj, null);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, WriteContext context)
    {
        base.PrepareForUpdate(obj, old, context);

        // A replace that leaves out allocated values keeps them; a client that changes only clusterIP changes
        // clusterIPs with it, so validation reports the change against the right field.
        ServiceDefaults.PatchAllocatedValues(obj, old);
        ServiceDefaults.NormalizeClusterIPs(obj, old);
    }

    public override ValueTask AllocateAsync(JsonObject obj, JsonObject? old, WriteContext context, CancellationToken cancellationToken)
    {
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        var oldSpec = old?["spec"] as JsonObject;
        var type = Meta.Str(spec, "type") is { Length: > 0 } t ? t : "ClusterIP";
        var name = Meta.Name(obj);

        var ownedIp = oldSpec is null ? "" : Meta.Str(oldSpec, "clusterIP");
        var taken = new List<string>();
        var takenPorts = new List<int>();
        try
        {
            if (type == "ExternalName")
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }
            else
            {
                var ip = Meta.Str(spec, "clusterIP");
                if (ip.Length == 0 && spec["clusterIPs"] is JsonArray { Count: > 0 } ipList)
                {
                    ip = (string?)ipList[0] ?? "";
                }

                if (ip.Length == 0 && ownedIp.Length > 0)
                {
                    ip = ownedIp;
                }

                if (ip.Length == 0)
                {
                    ip = ips.Allocate() ?? throw Invalid(name, "spec.clusterIPs", "[]string{}", $"failed to allocate a serviceIP: range is full");
                    taken.Add(ip);
                }
                else if (ip != "None" && ip != ownedIp)
                {
                    if (!ips.Contains(ip))
                    {
                        throw Invalid(name, "spec.clusterIPs", $"[]string{{\"{ip}\"}}",
                            $"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {ips.Cidr}");
                    }

                    if (!ips.TryReserve(ip))
                    {
                        throw Invalid(name, "spec.clusterIPs", $"[]string{{\"{ip}\"}}", $"failed to allocate IP {ip}: provided IP is already allocated");
                    }

                    taken.Add(ip);
                }

                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }

            var needsNodePorts = type is "NodePort" or "LoadBalancer";
            if (spec["ports"] is JsonArray portList)
            {
                for (var i = 0; i < portList.Count; i++)
                {
                    if (portList[i] is not JsonObject port)
                    {
                        continue;
                    }

                    if (!needsNodePorts)
                    {
                        port.Remove("nodePort");
                        continue;
                    }

                    var owned = OwnedNodePorts(oldSpec);
                    var requested = port["nodePort"]?.GetValue<int>() ?? 0;
                    if (requested == 0)
                    {
                        // Keep the node port this port already had, so re-applying a manifest never moves it.
                        requested = owned.GetValueOrDefault(PortKey(port));
                        if (requested == 0)
                        {
                            requested = ports.Allocate() ?? throw Invalid(name, $"spec.ports[{i}].nodePort", "0", "failed to allocate a nodePort: range is full");
                            takenPorts.Add(requested);
                        }
                    }
                    else if (!owned.ContainsValue(requested))
                    {
                        if (!ports.Contains(requested))
                        {
                            throw Invalid(name, $"spec.ports[{i}].nodePort", requested.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                $"provided port is not in the valid range. The range of valid ports is {ports.Range}");
                        }

                        if (!ports.TryReserve(requested))
                        {
                            throw Invalid(name, $"spec.ports[{i}].nodePort", requested.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                "provided port is already allocated");
                        }

                        takenPorts.Add(requested);
                    }

                    port["nodePort"] = requested;
                }
            }
        }
        catch
        {
            taken.ForEach(ips.Release);
            takenPorts.ForEach(ports.Release);
            throw;
        }

        return ValueTask.CompletedTask;
    }

    public override void Release(JsonObject obj, JsonObject? keep)
    {
        var spec = obj["spec"] as JsonObject;
        var keepSpec = keep?["spec"] as JsonObject;
        var ip = spec is null ? "" : Meta.Str(spec, "clusterIP");
        if (ip.Length > 0 && ip != "None" && (keepSpec is null || Meta.Str(keepSpec, "clusterIP") != ip))
        {
            ips.Release(ip);
        }

        var kept = OwnedNodePorts(keepSpec).Values.ToHashSet();
        foreach (var port in OwnedNodePorts(spec).Values)
        {
            if (!kept.Contains(port))
            {
                ports.Release(port);
            }
        }
    }

    /// <summary>Registers what an already stored Service holds (at start-up).</summary>
    public void Restore(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            return;
        }

        var ip = Meta.Str(spec, "clusterIP");
        if (ip.Length > 0 && ip != "None")
        {
            ips.TryReserve(ip);
        }

        foreach (var port in OwnedNodePorts(spec).Values)
        {
            ports.TryReserve(port);
        }
    }

    private static Dictionary<string, int> OwnedNodePorts(JsonObject? spec)
    {
        var owned = new Dictionary<string, int>(StringComparer.Ordinal);
        if (spec?["ports"] is JsonArray list)
        {
            foreach (var p in list.OfType<JsonObject>())
            {
                if (p["nodePort"]?.GetValue<int>() is > 0 and var n)
                {
                    owned[PortKey(p)] = n;
                }
            }
        }

        return owned;
    }

    private static string PortKey(JsonObject port) =>
        $"{port["port"]?.ToJsonString()}/{(port["protocol"] is { } p ? (string?)p : "TCP")}";

    private ApiException Invalid(string name, string field, string value, string detail) =>
        ApiErrors.Invalid(Resource, name, $"{field}: Invalid value: {value}: {detail}",
            [new StatusCause("FieldValueInvalid", $"Invalid value: {value}: {detail}", field)]);
}
