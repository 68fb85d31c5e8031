using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// What Filter needs, computed once per cycle: per topology domain, the existing pods whose required anti-affinity
/// matches the incoming pod, and the existing pods that match the incoming pod's required affinity and anti-affinity
/// terms. Preemption clones it and moves pods in and out with <see cref="UpdateWithPod"/>.
/// </summary>
internal sealed class PreFilterState : IStateData
{
    public PreFilterState(PodInfo pod, AffinityTerm[] affinityTerms, AffinityTerm[] antiAffinityTerms, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        Pod = pod;
        AffinityTerms = affinityTerms;
        AntiAffinityTerms = antiAffinityTerms;
        NamespaceLabels = namespaceLabels;
        PodMatchesOwnAffinity = MatchesAll(affinityTerms, pod);
    }

    private PreFilterState(PreFilterState other)
        : this(other.Pod, other.AffinityTerms, other.AntiAffinityTerms, other.NamespaceLabels)
    {
        ExistingAntiAffinityCounts = other.ExistingAntiAffinityCounts.Clone();
        AffinityCounts = other.AffinityCounts.Clone();
        AntiAffinityCounts = other.AntiAffinityCounts.Clone();
    }

    public PodInfo Pod { get; }

    /// <summary>The incoming pod's required affinity terms, namespace selectors resolved into namespace names.</summary>
    public AffinityTerm[] AffinityTerms { get; }

    /// <summary>The incoming pod's required anti-affinity terms, namespace selectors resolved into namespace names.</summary>
    public AffinityTerm[] AntiAffinityTerms { get; }

    /// <summary>The labels of the incoming pod's namespace, for existing pods' terms that select namespaces by label.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; }

    /// <summary>The incoming pod matches all of its own affinity terms (it may start a group of pods that attract each other).</summary>
    public bool PodMatchesOwnAffinity { get; }

    /// <summary>Domains holding existing pods whose required anti-affinity terms match the incoming pod.</summary>
    public TopologyCounts ExistingAntiAffinityCounts { get; } = new();

    /// <summary>Domains holding existing pods that match all of the incoming pod's affinity terms.</summary>
    public TopologyCounts AffinityCounts { get; } = new();

    /// <summary>Domains holding existing pods that match one of the incoming pod's anti-affinity terms.</summary>
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

    /// <summary>Counts the existing pod's required anti-affinity terms that match the incoming pod.</summary>
    public void CountExistingAntiAffinity(PodInfo existing, IReadOnlyDictionary<string, string> nodeLabels, long delta)
    {
        var terms = existing.RequiredAntiAffinityTerms;
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (term.Matches(Pod, NamespaceLabels))
            {
                ExistingAntiAffinityCounts.Add(nodeLabels, term.TopologyKey, delta);
            }
        }
    }

    /// <summary>Counts the existing pod against the incoming pod's affinity (all terms) and anti-affinity (each term).</summary>
    public void CountIncomingTerms(PodInfo existing, IReadOnlyDictionary<string, string> nodeLabels, long delta)
    {
        if (MatchesAll(AffinityTerms, existing))
        {
            foreach (var term in AffinityTerms)
            {
                AffinityCounts.Add(nodeLabels, term.TopologyKey, delta);
            }
        }

        foreach (var term in AntiAffinityTerms)
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
    public bool SatisfiesAffinity(IReadOnlyDictionary<string, string> nodeLabels)
    {
        var podsExist = true;
        foreach (var term in AffinityTerms)
        {
            if (!nodeLabels.TryGetValue(term.TopologyKey, out var value))
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

    /// <summary>No domain of the node holds a pod that one of the incoming pod's anti-affinity terms matches.</summary>
    public bool SatisfiesAntiAffinity(IReadOnlyDictionary<string, string> nodeLabels)
    {
        if (AntiAffinityCounts.Count == 0)
        {
            return true;
        }

        foreach (var term in AntiAffinityTerms)
        {
            if (nodeLabels.TryGetValue(term.TopologyKey, out var value) && AntiAffinityCounts[term.TopologyKey, value] > 0)
            {
                return false;
            }
        }

        return true;
    }

    public IStateData Clone() => new PreFilterState(this);
}
