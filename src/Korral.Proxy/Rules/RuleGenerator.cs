using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;

namespace Korral.Proxy.Rules;

/// <summary>
/// Services + EndpointSlices + node facts → the rules of every service, as one pure function (the sync loop uses the
/// same pieces, caching each service's rules between syncs). <see cref="FullRestore"/> is what a first sync on a clean
/// host applies: the golden tests compare it.
/// </summary>
public sealed class RuleGenerator
{
    /// <summary>Above this many endpoint chains, per-endpoint comments are left out (kube-proxy's large-cluster mode).</summary>
    public const int LargeClusterEndpoints = 1000;

    private readonly ProxyRuleOptions _options;
    private readonly ServiceRuleWriter _writer;

    public RuleGenerator(ProxyRuleOptions options)
    {
        _options = options;
        _writer = new ServiceRuleWriter(options);
    }

    public ProxyRuleOptions Options => _options;

    /// <summary>The rules of one service given its slices (those labelled kubernetes.io/service-name with its name).</summary>
    public ServiceRules ForService(Service service, IEnumerable<EndpointSlice> slices, bool endpointComments = true)
    {
        var key = $"{service.Metadata?.Namespace ?? "default"}/{service.Metadata?.Name}";
        return _writer.Write(key, ServiceCompiler.Compile(service, slices, _options.NodeName), endpointComments);
    }

    /// <summary>Every service's rules, ordered by key; slices are matched to services by their service-name label.</summary>
    public List<ServiceRules> ForAll(IEnumerable<Service> services, IEnumerable<EndpointSlice> slices)
    {
        var byService = slices
            .Where(s => s.Metadata?.Labels?.ContainsKey(ServiceCompiler.ServiceNameLabel) == true)
            .ToLookup(s => $"{s.Metadata!.Namespace ?? "default"}/{s.Metadata.Labels![ServiceCompiler.ServiceNameLabel]}", StringComparer.Ordinal);
        var all = services
            .Select(s => (Service: s, Key: $"{s.Metadata?.Namespace ?? "default"}/{s.Metadata?.Name}"))
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        var rules = all.Select(s => ForService(s.Service, byService[s.Key])).ToList();
        if (rules.Sum(r => r.EndpointChainCount) > LargeClusterEndpoints)
        {
            rules = all.Select(s => ForService(s.Service, byService[s.Key], endpointComments: false)).ToList();
        }

        return rules;
    }

    /// <summary>The iptables-restore input of a full sync on a host without any of our rules.</summary>
    public string FullRestore(IEnumerable<Service> services, IEnumerable<EndpointSlice> slices) =>
        new RestoreWriter(_options).Write(new RestoreInput
        {
            Services = ForAll(services, slices),
            InsertJumps = JumpRule.For(_options),
        });
}
