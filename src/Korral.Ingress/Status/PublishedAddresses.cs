using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.NetworkingV1;

namespace Korral.Ingress.Status;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// What status.loadBalancer.ingress of our Ingresses says: where the controller can be reached. As ingress-nginx without a
/// publish service: the node it runs on, by its ExternalIP addresses, else its InternalIP addresses; or the addresses the
/// operator configured (IPs as ip, anything else as hostname). Sorted, so that the status does not flap.
/// </summary>
public static class PublishedAddresses
{
    public static List<IngressLoadBalancerIngress> For(Node? node, IReadOnlyList<string> configured)
    {
        IEnumerable<string> addresses = configured;
        if (configured.Count == 0)
        {
            var all = node?.Status?.Addresses ?? [];
            var external = all.Where(a => a.Type == "ExternalIP" && !string.IsNullOrEmpty(a.Address)).Select(a => a.Address!).ToList();
            addresses = external.Count > 0 ? external : all.Where(a => a.Type == "InternalIP" && !string.IsNullOrEmpty(a.Address)).Select(a => a.Address!);
        }

        return addresses
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(a => IPAddress.TryParse(a, out _) ? new IngressLoadBalancerIngress { Ip = a } : new IngressLoadBalancerIngress { Hostname = a })
            .ToList();
    }

    /// <summary>True when <paramref name="ingress"/>'s status already lists exactly <paramref name="wanted"/> (ports aside).</summary>
    public static bool Matches(Ingress ingress, IReadOnlyList<IngressLoadBalancerIngress> wanted)
    {
        var current = ingress.Status?.LoadBalancer?.Ingress ?? [];
        return current.Count == wanted.Count && current.Zip(wanted).All(p => p.First.Ip == p.Second.Ip && p.First.Hostname == p.Second.Hostname);
    }
}
