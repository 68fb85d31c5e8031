using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's DryRunPreemption: selects victims on the potential nodes in parallel, starting at a random offset so that
/// repeated preemptions do not always hit the first nodes, and stops once enough candidates are found (at least one of
/// them breaking no budget). Candidates breaking no budget come first.
/// </summary>
internal sealed class CandidateSearch
{
    private readonly object _lock = new();
    private readonly List<Candidate> _nonViolating = [];
    private readonly List<Candidate> _violating = [];
    private readonly List<string> _errors = [];
    private readonly NodeToStatus _statuses = new();
    private readonly int _numCandidates;

    private CandidateSearch(int numCandidates) => _numCandidates = numCandidates;

    /// <summary>
    /// The candidates, and for the nodes that are none the reason (nodes not evaluated are absent from it), plus the
    /// errors met on the way.
    /// </summary>
    public static (List<Candidate> Candidates, NodeToStatus Statuses, List<string> Errors) Run(
        IFrameworkHandle handle, CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> potentialNodes, DisruptionBudgets budgets,
        int offset, int numCandidates, PodImportance importance, CancellationToken cancellationToken)
    {
        var search = new CandidateSearch(numCandidates);

        // A node without a pod of lower priority has no victims whatever the filters say: answer it here, without
        // cloning the node and the cycle state. With nothing to preempt, thousands of nodes cost one pass over their pods.
        var worth = new List<NodeInfo>();
        for (var i = 0; i < potentialNodes.Count; i++)
        {
            var node = potentialNodes[(offset + i) % potentialNodes.Count];
            if (HasLowerPriorityPod(node, pod.Priority))
            {
                worth.Add(node);
            }
            else
            {
                search._statuses.Set(node.Name, Status.Unresolvable(VictimSelection.NoVictimsMessage));
            }
        }

        if (worth.Count > 0)
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(0, worth.Count, options, (i, loop) =>
            {
                if (search.Check(handle, state, pod, worth[i], budgets, importance))
                {
                    loop.Stop();
                }
            });
        }

        return ([.. search._nonViolating, .. search._violating], search._statuses, search._errors);
    }

    private static bool HasLowerPriorityPod(NodeInfo node, int priority)
    {
        foreach (var p in node.Pods)
        {
            if (p.Priority < priority)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Evaluates one node; true when the search has found enough candidates.</summary>
    private bool Check(IFrameworkHandle handle, CycleState state, PodInfo pod, NodeInfo node, DisruptionBudgets budgets, PodImportance importance)
    {
        var (victims, numViolations, status) = VictimSelection.Select(handle, state.Clone(), pod, node.Clone(), budgets, importance);
        if (status.IsSuccess && victims.Count > 0)
        {
            lock (_lock)
            {
                var list = numViolations == 0 ? _nonViolating : _violating;
                if (list.Count < _numCandidates)
                {
                    list.Add(new Candidate(node.Name, victims, numViolations));
                }

                return _nonViolating.Count > 0 && _nonViolating.Count + _violating.Count >= _numCandidates;
            }
        }

        if (status.IsSuccess)
        {
            status = Status.Error($"expected at least one victim pod on node \"{node.Name}\"");
        }

        lock (_lock)
        {
            if (status.Code == StatusCode.Error)
            {
                _errors.Add(status.Message);
            }

            _statuses.Set(node.Name, status);
        }

        return false;
    }
}
