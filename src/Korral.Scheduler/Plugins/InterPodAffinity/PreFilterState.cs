using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// What Filter needs, computed once per cycle. Terms whose topology is the node itself (<c>kubernetes.io/hostname</c>)
/// are checked in Filter against the pods of the node at hand, as upstream's host-scoped fast path does: no cluster-wide
/// count is built for them. Every other term is counted per topology domain: existing pods whose required
/// anti-affinity matches the incoming pod, and existing pods that match the incoming pod's required affinity and
/// anti-affinity. Preemption clones the state and moves pods in and out with <see cref="UpdateWithPod"/>; a clone
/// belongs to one what-if on one thread.
/// </summary>
/// <remarks>
/// The host-scoped checks treat each node as its own domain. Upstream's default path would merge nodes that share a
/// hostname label value into one domain; the kubelet labels every node with its own hostname, so they do not share one.
/// </remarks>
internal sealed class PreFilterState : IStateData
{
    public const string HostnameKey = "kubernetes.io/hostname";

    public PreFilterState(PodInfo pod, AffinityTerm[] affinityTerms, AffinityTerm[] antiAffinityTerms, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        Pod = pod;
        AffinityTerms = affinityTerms;
        NamespaceLabels = namespaceLabels;
        PodMatchesOwnAffinity = MatchesAll(affinityTerms, pod);
        HostScopedAffinity = affinityTerms.Length > 0 && affinityTerms.All(t => t.TopologyKey == HostnameKey);
        HostAntiAffinityTerms = [.. antiAffinityTerms.Where(t => t.TopologyKey == HostnameKey)];
        TopologyAntiAffinityTerms = [.. antiAffinityTerms.Where(t => t.TopologyKey != HostnameKey)];
    }

    private PreFilterState(PreFilterState other)
    {
        Pod = other.Pod;
        AffinityTerms = other.AffinityTerms;
        NamespaceLabels = other.NamespaceLabels;
        PodMatchesOwnAffinity = other.PodMatchesOwnAffinity;
        HostScopedAffinity = other.HostScopedAffinity;
        HostAntiAffinityTerms = other.HostAntiAffinityTerms;
        TopologyAntiAffinityTerms = other.TopologyAntiAffinityTerms;
        ExistingHostAntiAffinity = other.ExistingHostAntiAffinity;
        AffinityMatches = other.AffinityMatches;
        ExistingAntiAffinityCounts = other.ExistingAntiAffinityCounts.Clone();
        AffinityCounts = other.AffinityCounts.Clone();
        AntiAffinityCounts = other.AntiAffinityCounts.Clone();
    }

    public PodInfo Pod { get; }

    /// <summary>The incoming pod's required affinity terms, namespace selectors resolved into namespace names.</summary>
    public AffinityTerm[] AffinityTerms { get; }

    /// <summary>Every affinity term is host-scoped: a node qualifies by its own pods, and only a global match count is kept.</summary>
    public bool HostScopedAffinity { get; }

    /// <summary>The incoming pod's required anti-affinity terms on <c>kubernetes.io/hostname</c>, checked against the node's pods.</summary>
    public AffinityTerm[] HostAntiAffinityTerms { get; }

    /// <summary>The incoming pod's other required anti-affinity terms, counted per domain.</summary>
    public AffinityTerm[] TopologyAntiAffinityTerms { get; }

    public bool HasRequiredTerms => AffinityTerms.Length > 0 || HostAntiAffinityTerms.Length > 0 || TopologyAntiAffinityTerms.Length > 0;

    /// <summary>The labels of the incoming pod's namespace, for existing pods' terms that select namespaces by label.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; }

    /// <summary>The incoming pod matches all of its own affinity terms (it may start a group of pods that attract each other).</summary>
    public bool PodMatchesOwnAffinity { get; }

    /// <summary>Some existing pod has a host-scoped required anti-affinity term: Filter checks the node's pods for one matching.</summary>
    public bool ExistingHostAntiAffinity { get; set; }

    /// <summary>With <see cref="HostScopedAffinity"/>: pods on nodes with a hostname label that match every affinity term.</summary>
    public long AffinityMatches { get; private set; }

    /// <summary>Domains holding existing pods whose (not host-scoped) required anti-affinity terms match the incoming pod.</summary>
    public TopologyCounts ExistingAntiAffinityCounts { get; } = new();

    /// <summary>Without <see cref="HostScopedAffinity"/>: domains holding existing pods that match all of the incoming pod's affinity terms.</summary>
    public TopologyCounts AffinityCounts { get; } = new();

    /// <summary>Domains holding existing pods that match one of <see cref="TopologyAntiAffinityTerms"/>.</summary>
    public TopologyCounts AntiAffinityCounts { get; } = new();

    /// <summary>Whether <paramref name="pod"/> matches every term (and there is at least one); incoming terms need no namespace labels.</summary>
    public static bool MatchesAll(AffinityTerm[] terms, PodInfo pod)
    {
        if (terms.Length == 0)
        {
            return false;
        }

        foreach (var term in terms)
        {
            if (!term.Matches(pod, null))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Counts an existing pod in every direction (<paramref name="delta"/> 1 to add, -1 to remove).</summary>
    public void UpdateWithPod(PodInfo existing, IReadOnlyDictionary<string, string> nodeLabels, long delta)
    {
        CountExistingAntiAffinity(existing, nodeLabels, delta);
        CountIncomingTerms(existing, nodeLabels, delta);
    }

    /// <summary>Counts the existing pod's required anti-affinity terms that match the incoming pod; notes host-scoped ones.</summary>
    public void CountExistingAntiAffinity(PodInfo existing, IReadOnlyDictionary<string, string> nodeLabels, long delta)
    {
        var terms = existing.RequiredAntiAffinityTerms;
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (term.TopologyKey == HostnameKey)
            {
                ExistingHostAntiAffinity = true;
            }
            else if (term.Matches(Pod, NamespaceLabels))
            {
                ExistingAntiAffinityCounts.Add(nodeLabels, term.TopologyKey, delta);
            }
        }
    }

    /// <summary>Counts the existing pod against the incoming pod's affinity (all terms) and topology anti-affinity (each term).</summary>
    public void CountIncomingTerms(PodInfo existing, IReadOnlyDictionary<string, string> nodeLabels, long delta)
    {
        if (MatchesAll(AffinityTerms, existing))
        {
            if (HostScopedAffinity)
            {
                AffinityMatches += nodeLabels.ContainsKey(HostnameKey) ? delta : 0;
            }
            else
            {
                foreach (var term in AffinityTerms)
                {
                    AffinityCounts.Add(nodeLabels, term.TopologyKey, delta);
                }
            }
        }

        foreach (var term in TopologyAntiAffinityTerms)
        {
            if (term.Matches(existing, null))
            {
                AntiAffinityCounts.Add(nodeLabels, term.TopologyKey, delta);
            }
        }
    }

    /// <summary>
    /// The node has every affinity topology key and each of its domains holds a matching pod; or no pod matches anywhere
    /// and the pod matches its own terms (the first pod of a group that wants to be together).
    /// </summary>
    public bool SatisfiesAffinity(NodeInfo node)
    {
        if (AffinityTerms.Length == 0)
        {
            return true;
        }

        var labels = node.Labels;
        if (HostScopedAffinity)
        {
            if (!labels.ContainsKey(HostnameKey))
            {
                return false;
            }

            foreach (var existing in node.Pods)
            {
                if (MatchesAll(AffinityTerms, existing))
                {
                    return true;
                }
            }

            return AffinityMatches == 0 && PodMatchesOwnAffinity;
        }

        var podsExist = true;
        foreach (var term in AffinityTerms)
        {
            if (!labels.TryGetValue(term.TopologyKey, out var value))
            {
                return false;
            }

            if (AffinityCounts[term.TopologyKey, value] <= 0)
            {
                podsExist = false;
            }
        }

        return podsExist || (AffinityCounts.Count == 0 && PodMatchesOwnAffinity);
    }

    /// <summary>Whether a domain of the node holds a pod that one of the incoming pod's anti-affinity terms matches.</summary>
    public bool ConflictsWithAntiAffinity(NodeInfo node)
    {
        var labels = node.Labels;
        if (AntiAffinityCounts.Count > 0)
        {
            foreach (var term in TopologyAntiAffinityTerms)
            {
                if (labels.TryGetValue(term.TopologyKey, out var value) && AntiAffinityCounts[term.TopologyKey, value] > 0)
                {
                    return true;
                }
            }
        }

        if (HostAntiAffinityTerms.Length > 0 && node.Pods.Count > 0 && labels.ContainsKey(HostnameKey))
        {
            foreach (var existing in node.Pods)
            {
                foreach (var term in HostAntiAffinityTerms)
                {
                    if (term.Matches(existing, null))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Whether an existing pod's required anti-affinity keeps the incoming pod out of the node's domains.</summary>
    public bool ConflictsWithExistingAntiAffinity(NodeInfo node)
    {
        if (ExistingAntiAffinityCounts.AnyPositiveOn(node.Labels))
        {
            return true;
        }

        if (!ExistingHostAntiAffinity || node.PodsWithRequiredAntiAffinity.Count == 0 || !node.Labels.ContainsKey(HostnameKey))
        {
            return false;
        }

        foreach (var existing in node.PodsWithRequiredAntiAffinity)
        {
            var terms = existing.RequiredAntiAffinityTerms;
            for (var i = 0; i < terms.Count; i++)
            {
                if (terms[i].TopologyKey == HostnameKey && terms[i].Matches(Pod, NamespaceLabels))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public IStateData Clone() => new PreFilterState(this);
}
