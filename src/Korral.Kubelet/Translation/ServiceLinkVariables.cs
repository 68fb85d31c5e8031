using System.Globalization;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The Docker-link style variables the kubelet gives every container for the services it can see
/// (<c>FOO_SERVICE_HOST</c>, <c>FOO_SERVICE_PORT</c>, <c>FOO_PORT_80_TCP_ADDR</c>, ...), named as upstream names them.
/// </summary>
public static class ServiceLinkVariables
{
    /// <summary>The master service: its variables are given to every pod, service links or not.</summary>
    public const string MasterServiceName = "kubernetes";

    /// <summary>The namespace the master service lives in.</summary>
    public const string MasterServiceNamespace = "default";

    /// <summary>
    /// The service variables a pod in <paramref name="podNamespace"/> sees: default/kubernetes always, and with
    /// <paramref name="enableServiceLinks"/> every service of the pod's namespace (one of the same name replaces the
    /// master service, as upstream). Services without a cluster IP (headless, ExternalName) give none.
    /// </summary>
    public static IReadOnlyList<ResolvedEnvVar> ForPod(IPodConfigSource source, string podNamespace, bool enableServiceLinks)
    {
        var byName = new SortedDictionary<string, Service>(StringComparer.Ordinal);
        foreach (var service in source.ListServices(MasterServiceNamespace))
        {
            if (service.Metadata?.Name == MasterServiceName && HasClusterIP(service))
            {
                byName[MasterServiceName] = service;
                break;
            }
        }

        if (enableServiceLinks)
        {
            foreach (var service in source.ListServices(podNamespace))
            {
                var name = service.Metadata?.Name;
                if (string.IsNullOrEmpty(name) || !HasClusterIP(service)
                    || (podNamespace == MasterServiceNamespace && name == MasterServiceName))
                {
                    continue;
                }

                byName[name] = service;
            }
        }

        return FromServices(byName.Values);
    }

    /// <summary>The variables of <paramref name="services"/>, in the order given (upstream's order within one service).</summary>
    public static IReadOnlyList<ResolvedEnvVar> FromServices(IEnumerable<Service> services)
    {
        var result = new List<ResolvedEnvVar>();
        foreach (var service in services)
        {
            if (!HasClusterIP(service))
            {
                continue;
            }

            var prefix = VariableName(service.Metadata?.Name ?? "");
            var clusterIP = service.Spec!.ClusterIP!;
            var ports = service.Spec.Ports ?? [];
            result.Add(new(prefix + "_SERVICE_HOST", clusterIP));
            if (ports.Count > 0)
            {
                // The first port keeps the backwards-compatible unsuffixed name; named ports get one each.
                result.Add(new(prefix + "_SERVICE_PORT", Format(ports[0].Port ?? 0)));
                foreach (var port in ports)
                {
                    if (!string.IsNullOrEmpty(port.Name))
                    {
                        result.Add(new(prefix + "_SERVICE_PORT_" + VariableName(port.Name), Format(port.Port ?? 0)));
                    }
                }
            }

            for (var i = 0; i < ports.Count; i++)
            {
                var port = ports[i].Port ?? 0;
                var protocol = string.IsNullOrEmpty(ports[i].Protocol) ? "TCP" : ports[i].Protocol!;
                var url = protocol.ToLowerInvariant() + "://" + JoinHostPort(clusterIP, port);
                if (i == 0)
                {
                    result.Add(new(prefix + "_PORT", url));
                }

                var portPrefix = $"{prefix}_PORT_{Format(port)}_{protocol.ToUpperInvariant()}";
                result.Add(new(portPrefix, url));
                result.Add(new(portPrefix + "_PROTO", protocol.ToLowerInvariant()));
                result.Add(new(portPrefix + "_PORT", Format(port)));
                result.Add(new(portPrefix + "_ADDR", clusterIP));
            }
        }

        return result;
    }

    /// <summary>Whether a service has a cluster IP (not empty and not "None").</summary>
    public static bool HasClusterIP(Service service) =>
        service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None";

    /// <summary>A service or port name as a variable name: upper case, '-' as '_'.</summary>
    public static string VariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static string JoinHostPort(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{Format(port)}" : $"{host}:{Format(port)}";

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
