using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// Upstream's InterPodAffinity: required pod affinity and anti-affinity (both the incoming pod's terms and existing pods'
/// anti-affinity towards it) in PreFilter/Filter, preferred terms in both directions in PreScore/Score. PreFilter counts
/// matching pods per topology domain once, so that Filter is a few dictionary lookups per node.
/// </summary>
public sealed partial class InterPodAffinityPlugin : IPreFilterPlugin, IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "InterPodAffinity";

    private readonly Func<Snapshot> _snapshot;
    private readonly Lister<Namespace> _namespaces;
    private readonly InterPodAffinityArgs _args;

    /// <param name="snapshot">The snapshot of the cycle in progress (PreScore looks at all nodes, not only the feasible ones).</param>
    /// <param name="namespaces">Namespaces, to resolve terms that select namespaces by label.</param>
    public InterPodAffinityPlugin(Func<Snapshot> snapshot, Lister<Namespace> namespaces, InterPodAffinityArgs? args = null)
    {
        _snapshot = snapshot;
        _namespaces = namespaces;
        _args = args ?? new InterPodAffinityArgs();
    }

    public string Name => PluginName;

    public IPreFilterExtensions? Extensions => this;

    public static IPlugin New(IFrameworkHandle handle) =>
        new InterPodAffinityPlugin(() => handle.Snapshot, handle.Informers.Informer<Namespace>().Lister);

    /// <summary>
    /// Assigned pods coming, going or changing labels change the counts; a node that is added or relabelled may open a
    /// domain (upstream adds taint updates because a node that is not ready yet is not seen when it is added).
    /// </summary>
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
    ];

    /// <summary>
    /// The incoming pod's terms with their namespace selectors turned into namespace names, as upstream does: then matching
    /// an existing pod against them never needs that pod's namespace labels. An empty selector (all namespaces) stays.
    /// </summary>
    private AffinityTerm[] ResolveNamespaces(IReadOnlyList<AffinityTerm> terms)
    {
        var resolved = new AffinityTerm[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (term.NamespaceSelector is null || term.NamespaceSelector.Empty)
            {
                resolved[i] = term;
                continue;
            }

            var names = new HashSet<string>(term.Namespaces, StringComparer.Ordinal);
            foreach (var ns in _namespaces.List(term.NamespaceSelector))
            {
                names.Add(ns.Metadata?.Name ?? "");
            }

            resolved[i] = new AffinityTerm
            {
                Selector = term.Selector,
                Namespaces = names,
                NamespaceSelector = null,
                TopologyKey = term.TopologyKey,
                Weight = term.Weight,
            };
        }

        return resolved;
    }

    /// <summary>The labels of a namespace; none when it is not in the cache (upstream assumes an empty set too).</summary>
    private IReadOnlyDictionary<string, string>? NamespaceLabels(string ns) =>
        _namespaces.Get(null, ns)?.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : null;
}
