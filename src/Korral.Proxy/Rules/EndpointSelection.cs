namespace Korral.Proxy.Rules;

/// <summary>
/// Which endpoints a service port sends traffic to, as kube-proxy picks them:
/// <list type="bullet">
/// <item>Cluster policy: the ready endpoints; when none is ready anywhere, the serving terminating ones (so that a
/// rolling update's last pods keep answering while they drain).</item>
/// <item>Local policy: this node's ready endpoints; when none, this node's serving terminating endpoints.</item>
/// </list>
/// <see cref="HasAny"/> is false only when no endpoint is usable anywhere: then the service's addresses are rejected.
/// </summary>
public sealed record EndpointSelection(
    IReadOnlyList<ProxyEndpoint> Cluster,
    IReadOnlyList<ProxyEndpoint> Local,
    IReadOnlyList<ProxyEndpoint> AllReachable,
    bool HasAny)
{
    public static EndpointSelection For(ServicePortInfo port)
    {
        var endpoints = port.Endpoints;
        IReadOnlyList<ProxyEndpoint> cluster = [];
        var hasAny = false;
        if (port.UsesClusterEndpoints)
        {
            cluster = [.. endpoints.Where(e => e.Ready)];
            if (cluster.Count == 0)
            {
                cluster = [.. endpoints.Where(e => e.Serving && e.Terminating)];
            }

            hasAny = cluster.Count > 0;
        }

        if (!port.UsesLocalEndpoints)
        {
            return new EndpointSelection(cluster, [], cluster, hasAny);
        }

        var localReady = false;
        var localTerminating = false;
        foreach (var e in endpoints)
        {
            if (e.Ready)
            {
                hasAny = true;
                localReady |= e.IsLocal;
            }
            else if (e.Serving && e.Terminating)
            {
                hasAny = true;
                localTerminating |= e.IsLocal;
            }
        }

        IReadOnlyList<ProxyEndpoint> local = localReady
            ? [.. endpoints.Where(e => e.IsLocal && e.Ready)]
            : localTerminating ? [.. endpoints.Where(e => e.IsLocal && e.Serving && e.Terminating)] : [];

        if (!port.UsesClusterEndpoints)
        {
            return new EndpointSelection(cluster, local, local, hasAny);
        }

        if (!localTerminating || localReady)
        {
            // Local holds only ready endpoints, all of which are in Cluster already.
            return new EndpointSelection(cluster, local, cluster, hasAny);
        }

        // Local terminating endpoints are not in Cluster (which has ready ones): both sets get endpoint chains.
        var all = new List<ProxyEndpoint>(cluster);
        var seen = new HashSet<string>(cluster.Select(e => e.Address), StringComparer.Ordinal);
        all.AddRange(local.Where(e => seen.Add(e.Address)));
        return new EndpointSelection(cluster, local, all, hasAny);
    }
}
