using Korral.Api.Models.PolicyV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's DefaultPreemption PostFilter: when no node fits, find nodes where evicting lower-priority pods would make
/// room, pick the one whose eviction hurts least, evict those pods and nominate the node. The scheduler core records the
/// nomination and writes the preemptor's <c>status.nominatedNodeName</c>.
/// <para>
/// Answers: success with the node; Unschedulable with a null node when the pod may not preempt (its nomination stays);
/// Unschedulable with <c>""</c> (clear the nomination) when preemption cannot help — the message is then upstream's
/// <c>preemption: 0/N nodes are available: …</c> for the core to append; Error with a null node on internal or API errors.
/// </para>
/// </summary>
public sealed class DefaultPreemptionPlugin : IPostFilterPlugin
{
    public const string PluginName = "DefaultPreemption";

    private const string NotHelpful = "Preemption is not helpful for scheduling";

    private readonly IFrameworkHandle _handle;
    private readonly DefaultPreemptionArgs _args;
    private readonly SharedInformer<PodDisruptionBudget> _budgets;
    private readonly Func<int, int> _offset;

    /// <param name="offset">Where the candidate search starts among n potential nodes (0 ≤ result &lt; n); random by default.</param>
    public DefaultPreemptionPlugin(IFrameworkHandle handle, DefaultPreemptionArgs? args = null, Func<int, int>? offset = null)
    {
        _handle = handle;
        _args = args ?? new DefaultPreemptionArgs();
        _offset = offset ?? Random.Shared.Next;

        // Asked for at construction, as upstream, so that the informer is registered before the factory starts and syncs.
        _budgets = handle.Informers.Informer<PodDisruptionBudget>();
    }

    public string Name => PluginName;

    public async Task<(string? NominatedNodeName, Status Status)> PostFilterAsync(CycleState state, PodInfo pod, NodeToStatus filteredNodes,
        CancellationToken cancellationToken)
    {
        var (node, status) = await PreemptAsync(state, pod, filteredNodes, cancellationToken);
        return status.Reasons.Count == 0 ? (node, status) : (node, Status.Of(status.Code, "preemption: " + status.Message));
    }

    private async Task<(string? NominatedNodeName, Status Status)> PreemptAsync(CycleState state, PodInfo pod, NodeToStatus filteredNodes,
        CancellationToken cancellationToken)
    {
        var snapshot = _handle.Snapshot;
        if (PreemptionEligibility.Check(pod, filteredNodes, snapshot) is { } notEligible)
        {
            return (null, Status.Unschedulable(notEligible));
        }

        var allNodes = snapshot.Nodes;
        if (allNodes.Count == 0)
        {
            return (null, Status.Error("no nodes available"));
        }

        var importance = new PodImportance(_handle.Time.GetUtcNow());
        var (candidates, statuses, errors) = FindCandidates(state, pod, filteredNodes, allNodes, importance, cancellationToken);
        if (candidates.Count == 0)
        {
            if (errors.Count > 0)
            {
                return (null, Status.Error(errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]"));
            }

            statuses.AbsentNodesStatus = Status.Unresolvable(NotHelpful);
            return ("", Status.Unschedulable(FitErrorMessage.Format(allNodes.Count, statuses)));
        }

        var best = CandidatePicker.Pick(candidates, importance)!;
        var prepared = await CandidatePreparation.RunAsync(_handle, PluginName, best, pod, cancellationToken);
        return prepared.IsSuccess ? (best.NodeName, Status.Success) : (null, prepared);
    }

    private (List<Candidate> Candidates, NodeToStatus Statuses, List<string> Errors) FindCandidates(CycleState state, PodInfo pod,
        NodeToStatus filteredNodes, IReadOnlyList<NodeInfo> allNodes, PodImportance importance, CancellationToken cancellationToken)
    {
        // Only nodes rejected as Unschedulable can change by evicting pods; when there are none (every rejection is
        // unresolvable), preemption is over before it looked at a single pod.
        var potential = filteredNodes.NodesForPreemption(allNodes).ToList();
        if (potential.Count == 0)
        {
            return ([], new NodeToStatus(), []);
        }

        var budgets = DisruptionBudgets.From(_budgets.Lister.List());
        var offset = _offset(potential.Count);
        return CandidateSearch.Run(_handle, state, pod, potential, budgets, offset, _args.NumCandidates(potential.Count), importance, cancellationToken);
    }
}
