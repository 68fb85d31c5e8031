using Korral.Api.Models.CoreV1;

namespace Korral.Proxy.LoadBalancer;

/// <summary>
/// What status.loadBalancer.ingress should say, with k3s's service load balancer (servicelb) semantics: a Service of
/// type LoadBalancer without a loadBalancerClass is reachable on every eligible node, so its ingress lists those nodes'
/// ExternalIP addresses, or their InternalIP addresses for nodes without one, sorted. Eligible: Ready nodes that are not
/// being deleted; when some node carries svccontroller.k3s.cattle.io/enablelb=true, only nodes labelled so (k3s's pools).
/// Any other Service gets no ingress from us (and loses what we wrote when its type changes).
/// </summary>
public static class LoadBalancerAddresses
{
    public const string EnableLabel = "svccontroller.k3s.cattle.io/enablelb";

    /// <summary>True when the status of <paramref name="service"/> is ours to write.</summary>
    public static bool IsOurs(Service service) =>
        service.Spec?.Type == "LoadBalancer" && string.IsNullOrEmpty(service.Spec.LoadBalancerClass);

    /// <summary>The ingress IPs for a service of ours, given every node.</summary>
    public static List<string> For(IEnumerable<Node> nodes)
    {
        var all = nodes.Where(n => n.Metadata?.DeletionTimestamp is null && IsReady(n)).ToList();
        var pool = all.Where(n => n.Metadata?.Labels?.TryGetValue(EnableLabel, out var v) == true && v == "true").ToList();
        var chosen = pool.Count > 0 ? pool : all.Where(n => n.Metadata?.Labels?.TryGetValue(EnableLabel, out var v) != true || v == "true");
        var ips = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var node in chosen)
        {
            var addresses = node.Status?.Addresses ?? [];
            var external = addresses.Where(a => a.Type == "ExternalIP" && !string.IsNullOrEmpty(a.Address)).Select(a => a.Address!).ToList();
            var picked = external.Count > 0 ? external : addresses.Where(a => a.Type == "InternalIP" && !string.IsNullOrEmpty(a.Address)).Select(a => a.Address!);
            ips.UnionWith(picked);
        }

        return [.. ips];
    }

    /// <summary>The ingress IPs currently in the status (those with an ip).</summary>
    public static List<string> Current(Service service) =>
        [.. (service.Status?.LoadBalancer?.Ingress ?? []).Where(i => !string.IsNullOrEmpty(i.Ip)).Select(i => i.Ip!)];

    private static bool IsReady(Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
