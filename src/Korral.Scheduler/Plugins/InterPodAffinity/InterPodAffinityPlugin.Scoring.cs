using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

public sealed partial class InterPodAffinityPlugin
{
    internal const string PreScoreStateKey = "PreScore" + PluginName;

    /// <summary>
    /// Sums, per topology domain, the weights of preferred terms that existing pods satisfy: the incoming pod's preferred
    /// affinity (+) and anti-affinity (−) towards them, and their required affinity (+hardPodAffinityWeight), preferred
    /// affinity (+) and preferred anti-affinity (−) towards the incoming pod. Without preferred terms of its own, only pods
    /// with affinity terms can contribute, so only the nodes holding such pods are looked at. Skip when nothing matched.
    /// </summary>
    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var hasPreferredTerms = pod.PreferredAffinityTerms.Count > 0 || pod.PreferredAntiAffinityTerms.Count > 0;
        if (_args.IgnorePreferredTermsOfExistingPods && !hasPreferredTerms)
        {
            return Status.Skip;
        }

        if (pod.ParseError is { } error)
        {
            return Status.Error($"failed to parse pod: {error}");
        }

        var snapshot = _snapshot();
        var candidates = hasPreferredTerms ? snapshot.Nodes : snapshot.NodesWithAffinityPods;
        var scoring = new ExistingPodScorer(
            ResolveNamespaces(pod.PreferredAffinityTerms),
            ResolveNamespaces(pod.PreferredAntiAffinityTerms),
            pod,
            NamespaceLabels(pod.Namespace),
            _args.HardPodAffinityWeight);
        foreach (var node in candidates)
        {
            // Scores attach to the domains of the existing pod's node: a node without labels has none.
            if (node.Node is null || node.Labels.Count == 0)
            {
                continue;
            }

            foreach (var existing in hasPreferredTerms ? node.Pods : node.PodsWithAffinity)
            {
                scoring.Process(existing, node.Labels);
            }
        }

        if (!scoring.Matched)
        {
            return Status.Skip;
        }

        state.Write(PreScoreStateKey, scoring.Scores);
        return Status.Success;
    }

    /// <summary>The sum of the domain scores of the node's labels (positive for affinity, negative for anti-affinity).</summary>
    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node) =>
        state.Read<PreScoreState>(PreScoreStateKey) is { } s
            ? (s.ScoreOf(node.Labels), Status.Success)
            : (0, Status.Error($"failed to read \"{PreScoreStateKey}\" from cycleState: not found"));

    /// <summary>Min-max scaling to 0–100 (all equal: all 0).</summary>
    public Status NormalizeScore(CycleState state, PodInfo pod, Span<NodeScore> scores)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return Status.Error($"failed to read \"{PreScoreStateKey}\" from cycleState: not found");
        }

        if (s.IsEmpty)
        {
            return Status.Success;
        }

        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var score in scores)
        {
            min = Math.Min(min, score.Score);
            max = Math.Max(max, score.Score);
        }

        var diff = max - min;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i].Score = diff > 0 ? (long)(IScorePlugin.MaxNodeScore * ((double)(scores[i].Score - min) / diff)) : 0;
        }

        return Status.Success;
    }

    /// <summary>Accumulates one PreScore pass (single-threaded) into a <see cref="PreScoreState"/>.</summary>
    private sealed class ExistingPodScorer(
        AffinityTerm[] preferredAffinity,
        AffinityTerm[] preferredAntiAffinity,
        PodInfo incoming,
        IReadOnlyDictionary<string, string>? namespaceLabels,
        int hardPodAffinityWeight)
    {
        public PreScoreState Scores { get; } = new();

        /// <summary>Whether any term matched on a node with its topology key (upstream skips scoring otherwise).</summary>
        public bool Matched { get; private set; }

        public void Process(PodInfo existing, IReadOnlyDictionary<string, string> nodeLabels)
        {
            // The incoming pod's terms had their namespace selectors resolved: the existing pod's namespace labels are not needed.
            foreach (var term in preferredAffinity)
            {
                Add(term, existing, null, nodeLabels, term.Weight);
            }

            foreach (var term in preferredAntiAffinity)
            {
                Add(term, existing, null, nodeLabels, -term.Weight);
            }

            if (hardPodAffinityWeight > 0)
            {
                AddAll(existing.RequiredAffinityTerms, hardPodAffinityWeight, 1);
            }

            AddAll(existing.PreferredAffinityTerms, null, 1);
            AddAll(existing.PreferredAntiAffinityTerms, null, -1);

            // Indexing, not foreach: these are interface lists and this runs for every pod with affinity in the cluster.
            void AddAll(IReadOnlyList<AffinityTerm> terms, int? weight, int sign)
            {
                for (var i = 0; i < terms.Count; i++)
                {
                    var term = terms[i];
                    Add(term, incoming, namespaceLabels, nodeLabels, sign * (weight ?? term.Weight));
                }
            }
        }

        private void Add(AffinityTerm term, PodInfo pod, IReadOnlyDictionary<string, string>? podNamespaceLabels, IReadOnlyDictionary<string, string> nodeLabels, long weight)
        {
            if (term.Matches(pod, podNamespaceLabels) && nodeLabels.TryGetValue(term.TopologyKey, out var value))
            {
                Scores.Add(term.TopologyKey, value, weight);
                Matched = true;
            }
        }
    }
}
