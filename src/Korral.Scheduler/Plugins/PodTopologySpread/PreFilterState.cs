using System.Runtime.InteropServices;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// What Filter needs for the hard constraints, computed once per cycle: per constraint, the matching pods in each
/// eligible domain and the two emptiest domains. Preemption clones it and moves pods in and out with
/// <see cref="UpdateWithPod"/>; a clone belongs to one what-if and is not shared between threads.
/// </summary>
internal sealed class PreFilterState : IStateData
{
    public PreFilterState(PodInfo pod, SpreadConstraint[] constraints, RequiredNodeAffinity nodeAffinity)
    {
        Pod = pod;
        Constraints = constraints;
        NodeAffinity = nodeAffinity;
        SelfMatch = new int[constraints.Length];
        MatchNum = new Dictionary<string, int>[constraints.Length];
        Paths = new CriticalPaths[constraints.Length];
        for (var i = 0; i < constraints.Length; i++)
        {
            SelfMatch[i] = constraints[i].Selector.Matches(pod.Labels) ? 1 : 0;
            MatchNum[i] = new Dictionary<string, int>(StringComparer.Ordinal);
            Paths[i] = CriticalPaths.Empty;
        }
    }

    private PreFilterState(PreFilterState other)
    {
        Pod = other.Pod;
        Constraints = other.Constraints;
        NodeAffinity = other.NodeAffinity;
        SelfMatch = other.SelfMatch;
        MatchNum = [.. other.MatchNum.Select(m => new Dictionary<string, int>(m, StringComparer.Ordinal))];
        Paths = [.. other.Paths];
    }

    public PodInfo Pod { get; }

    public SpreadConstraint[] Constraints { get; }

    public RequiredNodeAffinity NodeAffinity { get; }

    /// <summary>Per constraint: 1 when the incoming pod matches the selector itself (it adds to its domain), else 0.</summary>
    public int[] SelfMatch { get; }

    /// <summary>Per constraint: matching pods per eligible domain (domains without matching pods are present with 0).</summary>
    public Dictionary<string, int>[] MatchNum { get; }

    /// <summary>Per constraint: the emptiest domains.</summary>
    public CriticalPaths[] Paths { get; }

    /// <summary>Recomputes the emptiest domains after the counts were filled in.</summary>
    public void ComputePaths()
    {
        for (var i = 0; i < Constraints.Length; i++)
        {
            Paths[i] = CriticalPaths.Empty;
            foreach (var (value, count) in MatchNum[i])
            {
                Paths[i].Update(value, count);
            }
        }
    }

    /// <summary>The global minimum for skew: 0 when fewer eligible domains than minDomains exist.</summary>
    public int MinMatchNum(int constraint) =>
        MatchNum[constraint].Count < Constraints[constraint].MinDomains ? 0 : Paths[constraint].MinCount;

    /// <summary>
    /// Moves a pod in or out of the node's domains (<paramref name="delta"/> 1 or -1): only pods of the incoming pod's
    /// namespace on nodes that have every topology key and pass the constraint's inclusion policies count.
    /// </summary>
    public void UpdateWithPod(PodInfo pod, NodeInfo node, int delta)
    {
        if (pod.Namespace != Pod.Namespace || node.Node is null || !SpreadConstraint.NodeHasAllKeys(node.Labels, Constraints))
        {
            return;
        }

        var inclusion = new NodeInclusion(Pod, node, NodeAffinity);
        for (var i = 0; i < Constraints.Length; i++)
        {
            var c = Constraints[i];
            if (!c.Selector.Matches(pod.Labels) || !inclusion.Includes(c))
            {
                continue;
            }

            var value = node.Labels[c.TopologyKey];
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(MatchNum[i], value, out _);
            count += delta;
            Paths[i].Update(value, count);
        }
    }

    public IStateData Clone() => new PreFilterState(this);
}
