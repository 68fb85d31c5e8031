using Korral.Scheduler.Framework;
using Korral.Scheduler.Runtime;

namespace Korral.Scheduler.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Upstream: below this many nodes every node is evaluated.</summary>
    private const int MinFeasibleNodesToFind = 100;

    /// <summary>Upstream: the adaptive share never goes below 5%.</summary>
    private const int MinFeasibleNodesPercentageToFind = 5;

    private async Task ScheduleOneAsync(QueuedPodInfo queued, long cycle, CancellationToken cancellationToken)
    {
        var pod = queued.Pod;
        if (SkipPodSchedule(pod))
        {
            Queue.Done(pod.Uid);
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await RunCycleAsync(queued, cycle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Metrics.RecordCycle(System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }
    }

    private async Task RunCycleAsync(QueuedPodInfo queued, long cycle, CancellationToken cancellationToken)
    {
        var pod = queued.Pod;

        var state = new CycleState();
        Cache.UpdateSnapshot(_snapshot);
        Framework.Snapshot = _snapshot;

        string host;
        try
        {
            host = SchedulePod(state, pod);
        }
        catch (FitError fit)
        {
            string? nominated = null;
            if (Framework.HasPostFilter)
            {
                var (node, status) = await Framework.RunPostFilterPluginsAsync(state, pod, fit.Diagnosis.NodeToStatus, cancellationToken).ConfigureAwait(false);
                // Success nominates a node; "" means preemption cannot help and an earlier nomination is cleared.
                if (status.IsSuccess || node == "")
                {
                    nominated = node;
                }

                if (status.Reasons.Count > 0)
                {
                    fit.Diagnosis.PostFilterMessage = status.Message;
                }
            }

            Metrics.RecordUnschedulable();
            HandleFailure(queued, cycle, fit.Diagnosis.UnschedulablePlugins, error: false, "Unschedulable", fit.Message, nominated);
            return;
        }
        catch (SchedulingException e)
        {
            Metrics.RecordError();
            HandleFailure(queued, cycle, [], error: true, "SchedulerError", e.Message, null);
            return;
        }

        // Assume: the node's resources count the pod from now on, before the API knows.
        var assumed = pod.WithNodeName(host);
        Cache.AssumePod(assumed);
        var reserve = Framework.RunReservePlugins(state, assumed, host);
        if (!reserve.IsSuccess)
        {
            Framework.RunUnreservePlugins(state, assumed, host);
            Cache.ForgetPod(pod.Uid);
            FailAfterAssume(queued, cycle, reserve);
            return;
        }

        var (permit, permitWait) = Framework.RunPermitPlugins(state, assumed, host);
        if (!permit.IsSuccess && permit.Code != StatusCode.Wait)
        {
            Framework.RunUnreservePlugins(state, assumed, host);
            Cache.ForgetPod(pod.Uid);
            FailAfterAssume(queued, cycle, permit);
            return;
        }

        var waitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        await _bindSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Metrics.RecordBindSlotWait(System.Diagnostics.Stopwatch.GetTimestamp() - waitStarted);
        var binding = Task.Run(() => BindingCycleAsync(state, queued, cycle, assumed, host, permitWait, cancellationToken), CancellationToken.None);
        lock (_bindingsLock)
        {
            _bindings.Add(binding);
        }

        _ = binding.ContinueWith(t =>
        {
            lock (_bindingsLock)
            {
                _bindings.Remove(t);
            }

            _bindSlots.Release();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The pod was deleted meanwhile, or is already assumed or bound: nothing to do.</summary>
    private bool SkipPodSchedule(PodInfo pod)
    {
        if (pod.Pod.Metadata?.DeletionTimestamp is not null || Cache.Contains(pod.Uid))
        {
            return true;
        }

        var current = _pods.Lister.Get(pod.Key);
        return current is null || current.Metadata?.Uid != pod.Uid || Assigned(current);
    }

    /// <summary>Finds the node for the pod, or throws <see cref="FitError"/> (no node fits) or <see cref="SchedulingException"/>.</summary>
    internal string SchedulePod(CycleState state, PodInfo pod)
    {
        if (_snapshot.Nodes.Count == 0)
        {
            throw new SchedulingException("no nodes available to schedule pods");
        }

        var diagnosis = new Diagnosis();
        var feasible = FindNodesThatFit(state, pod, diagnosis);
        if (feasible.Count == 0)
        {
            throw new FitError(pod.Key, _snapshot.Nodes.Count, diagnosis);
        }

        if (feasible.Count == 1 || !Framework.HasScorePlugins)
        {
            return feasible[0].Name;
        }

        var preScore = Framework.RunPreScorePlugins(state, pod, feasible);
        if (!preScore.IsSuccess)
        {
            throw new SchedulingException(preScore.Message);
        }

        var (totals, scored) = Framework.RunScorePlugins(state, pod, feasible, _parallel);
        if (!scored.IsSuccess)
        {
            throw new SchedulingException(scored.Message);
        }

        return SelectHost(feasible, totals);
    }

    /// <summary>The highest total; ties are broken uniformly at random (reservoir sampling), as upstream.</summary>
    internal static string SelectHost(IReadOnlyList<NodeInfo> nodes, long[] totals)
    {
        var best = 0;
        var ties = 1;
        for (var i = 1; i < nodes.Count; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
                ties = 1;
            }
            else if (totals[i] == totals[best] && Random.Shared.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return nodes[best].Name;
    }

    private List<NodeInfo> FindNodesThatFit(CycleState state, PodInfo pod, Diagnosis diagnosis)
    {
        var narrowedBy = new List<string>();
        var (preResult, preStatus) = Framework.RunPreFilterPlugins(state, pod, _snapshot, narrowedBy);
        if (!preStatus.IsSuccess)
        {
            if (!preStatus.IsRejected)
            {
                throw new SchedulingException(preStatus.Message);
            }

            diagnosis.PreFilterMessage = preStatus.Message;
            diagnosis.NodeToStatus.AbsentNodesStatus = preStatus;
            if (preStatus.Plugin is not null)
            {
                diagnosis.UnschedulablePlugins.Add(preStatus.Plugin);
            }

            return [];
        }

        // A pod nominated by an earlier preemption tries its nominated node first.
        var nominated = pod.Pod.Status?.NominatedNodeName;
        if (!string.IsNullOrEmpty(nominated) && _snapshot.Get(nominated) is { Node: not null } nominatedNode
            && (preResult is null || preResult.AllNodes || preResult.NodeNames!.Contains(nominated)))
        {
            var status = Framework.RunFilterPluginsWithNominatedPods(state, pod, nominatedNode);
            if (status.IsSuccess)
            {
                return [nominatedNode];
            }
        }

        IReadOnlyList<NodeInfo> candidates = _snapshot.Nodes;
        if (preResult is { AllNodes: false })
        {
            candidates = [.. preResult.NodeNames!.Select(_snapshot.Get).OfType<NodeInfo>().Where(n => n.Node is not null)];
            diagnosis.NodeToStatus.AbsentNodesStatus = Status.Unresolvable($"node(s) didn't satisfy plugin(s) [{string.Join(" ", narrowedBy)}]");
        }

        return FilterNodes(state, pod, candidates, diagnosis);
    }

    private List<NodeInfo> FilterNodes(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes, Diagnosis diagnosis)
    {
        var count = nodes.Count;
        var toFind = NumFeasibleNodesToFind(count);
        var feasible = new NodeInfo[toFind];
        // One slot per node, allocated at the first rejection only: with 5,000 nodes an eagerly allocated array cost 40 KB
        // per cycle, most of the scheduler's own garbage when every node fits (the common case).
        Status?[]? statuses = null;
        var found = 0;
        var processed = 0;
        var start = count == _snapshot.Nodes.Count ? _nextStartNodeIndex % Math.Max(count, 1) : 0;
        Status? error = null;
        var checkNominated = Queue.Nominator.Any;

        void Check(int i, ParallelLoopState? loop)
        {
            if (Volatile.Read(ref found) >= toFind)
            {
                loop?.Stop();
                return;
            }

            Interlocked.Increment(ref processed);
            var node = nodes[(start + i) % count];
            var status = checkNominated
                ? Framework.RunFilterPluginsWithNominatedPods(state, pod, node)
                : Framework.RunFilterPlugins(state, pod, node);
            if (status.IsSuccess)
            {
                var slot = Interlocked.Increment(ref found) - 1;
                if (slot < toFind)
                {
                    feasible[slot] = node;
                }
                else
                {
                    loop?.Stop();
                }

                return;
            }

            if (status.Code == StatusCode.Error)
            {
                Interlocked.CompareExchange(ref error, status, null);
                loop?.Stop();
                return;
            }

            var slots = Volatile.Read(ref statuses) ?? Interlocked.CompareExchange(ref statuses, new Status?[count], null) ?? statuses;
            slots![i] = status;
        }

        if (count * 4 < SchedulingFramework.ParallelThreshold || _options.Parallelism == 1)
        {
            for (var i = 0; i < count && found < toFind && error is null; i++)
            {
                Check(i, null);
            }
        }
        else
        {
            Parallel.For(0, count, _parallel, (i, loop) => Check(i, loop));
        }

        if (error is not null)
        {
            throw new SchedulingException(error.Message);
        }

        if (count == _snapshot.Nodes.Count && count > 0)
        {
            _nextStartNodeIndex = (start + processed) % count;
        }

        for (var i = 0; statuses is not null && i < count; i++)
        {
            if (statuses[i] is { } status)
            {
                diagnosis.NodeToStatus.Set(nodes[(start + i) % count].Name, status);
                if (status.Plugin is not null)
                {
                    diagnosis.UnschedulablePlugins.Add(status.Plugin);
                }
            }
        }

        var result = new List<NodeInfo>(Math.Min(found, toFind));
        for (var i = 0; i < Math.Min(found, toFind); i++)
        {
            result.Add(feasible[i]);
        }

        return result;
    }

    /// <summary>How many feasible nodes are enough (upstream's adaptive percentage of nodes to score).</summary>
    internal int NumFeasibleNodesToFind(int numAllNodes)
    {
        if (numAllNodes < MinFeasibleNodesToFind || _options.PercentageOfNodesToScore >= 100)
        {
            return numAllNodes;
        }

        var percentage = _options.PercentageOfNodesToScore;
        if (percentage == 0)
        {
            percentage = Math.Max(50 - (numAllNodes / 125), MinFeasibleNodesPercentageToFind);
        }

        var count = numAllNodes * percentage / 100;
        return Math.Max(count, MinFeasibleNodesToFind);
    }
}
