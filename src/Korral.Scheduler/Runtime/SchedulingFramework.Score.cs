using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Runtime;

public sealed partial class SchedulingFramework
{
    public bool HasScorePlugins => _score.Count > 0;

    public Status RunPreScorePlugins(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        foreach (var plugin in _preScore)
        {
            var status = plugin.PreScore(state, pod, nodes);
            if (status.IsSkip)
            {
                state.SkipScorePlugins.Add(plugin.Name);
                continue;
            }

            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>
    /// Scores every node with every Score plugin (nodes in parallel), normalizes each plugin's scores, applies the weights
    /// and returns the totals in node order.
    /// </summary>
    public (long[] Totals, Status Status) RunScorePlugins(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes, ParallelOptions parallel)
    {
        var active = _score.Where(s => !state.SkipScorePlugins.Contains(s.Plugin.Name)).ToArray();
        var scores = new NodeScore[active.Length][];
        for (var p = 0; p < active.Length; p++)
        {
            scores[p] = new NodeScore[nodes.Count];
        }

        Status? failure = null;
        void ScoreNode(int i)
        {
            var node = nodes[i];
            for (var p = 0; p < active.Length; p++)
            {
                var (score, status) = active[p].Plugin.Score(state, pod, node);
                if (!status.IsSuccess)
                {
                    Interlocked.CompareExchange(ref failure, status.WithPlugin(active[p].Plugin.Name), null);
                    return;
                }

                scores[p][i] = new NodeScore(node.Name, score);
            }
        }

        if (nodes.Count * active.Length < ParallelThreshold)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                ScoreNode(i);
            }
        }
        else
        {
            Parallel.For(0, nodes.Count, parallel, ScoreNode);
        }

        if (failure is not null)
        {
            return ([], failure);
        }

        var totals = new long[nodes.Count];
        for (var p = 0; p < active.Length; p++)
        {
            var (plugin, weight) = active[p];
            var normalized = plugin.NormalizeScore(state, pod, scores[p]);
            if (!normalized.IsSuccess)
            {
                return ([], normalized.WithPlugin(plugin.Name));
            }

            for (var i = 0; i < nodes.Count; i++)
            {
                var score = scores[p][i].Score;
                if (score is < 0 or > IScorePlugin.MaxNodeScore)
                {
                    return ([], Status.Error($"plugin \"{plugin.Name}\" returns an invalid score {score}, it should in the range of [0, {IScorePlugin.MaxNodeScore}] after normalizing"));
                }

                totals[i] += score * weight;
            }
        }

        return (totals, Status.Success);
    }
}
