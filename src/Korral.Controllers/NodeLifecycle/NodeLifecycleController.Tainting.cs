using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// NoExecute not-ready/unreachable taints: nodes that are not Ready are queued in their zone's
/// <see cref="ZoneTainter"/>, and one loop taints them at the zone's rate (upstream's doNoExecuteTaintingPass, which
/// upstream runs every 100 ms; here the loop sleeps until the next node is due or something is queued).
/// </summary>
public sealed partial class NodeLifecycleController
{
    /// <summary>A node that could not be tainted is tried again after this long.</summary>
    private static readonly TimeSpan TaintRetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, ZoneTainter> _tainters = new(StringComparer.Ordinal);
    private TaskCompletionSource _wakeTainter = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Nodes waiting for a NoExecute taint, over every zone.</summary>
    public int NodesWaitingForTaint
    {
        get
        {
            lock (_lock)
            {
                return _tainters.Values.Sum(t => t.Waiting);
            }
        }
    }

    /// <summary>
    /// Upstream's processTaintBaseEviction, on the Ready condition seen at the start of the sync: not Ready swaps an
    /// opposite NoExecute taint at once or queues the node for one; Ready removes both and leaves the queue.
    /// </summary>
    private async Task ProcessTaintBasedEvictionAsync(Node node, NodeCondition observedReady, CancellationToken cancellationToken)
    {
        var name = node.Metadata!.Name!;
        var taints = node.Spec?.Taints;
        switch (observedReady.Status)
        {
            case "False" when NodeTaints.Has(taints, NodeTaints.Unreachable, NodeTaints.NoExecute):
                await SwapNoExecuteAsync(name, NodeTaints.NotReady, NodeTaints.Unreachable, cancellationToken);
                break;
            case "Unknown" when NodeTaints.Has(taints, NodeTaints.NotReady, NodeTaints.NoExecute):
                await SwapNoExecuteAsync(name, NodeTaints.Unreachable, NodeTaints.NotReady, cancellationToken);
                break;
            case "False" or "Unknown":
                if (MarkNodeForTainting(node, observedReady.Status == "False" ? NodeTaints.NotReady : NodeTaints.Unreachable))
                {
                    _log($"{ControllerName}: node {name} is {(observedReady.Status == "False" ? "NotReady" : "unresponsive")}: queued for a NoExecute taint");
                }

                break;
            case "True":
                if (await MarkNodeAsReachableAsync(node, cancellationToken))
                {
                    _log($"{ControllerName}: node {name} is healthy again: NoExecute taints removed");
                }

                break;
        }
    }

    /// <summary>
    /// Queues the node in its zone, first forgetting an earlier turn if the taint it calls for is not there; true when it
    /// was not queued before (for the log).
    /// </summary>
    private bool MarkNodeForTainting(Node node, string taintKey)
    {
        var name = node.Metadata!.Name!;
        bool added, wasQueued;
        lock (_lock)
        {
            var tainter = TainterFor(Zones.KeyOf(node), _time.GetUtcNow());
            wasQueued = tainter.Contains(name);
            if (!NodeTaints.Has(node.Spec?.Taints, taintKey, NodeTaints.NoExecute))
            {
                // Not tainted yet (or the taint was removed by hand): its turn starts over.
                tainter.Remove(name);
            }

            added = tainter.Add(name, _time.GetUtcNow());
        }

        if (added)
        {
            WakeTainter();
        }

        return added && !wasQueued;
    }

    /// <summary>Removes the NoExecute not-ready/unreachable taints (if the cached node has one) and takes the node out of its zone's queue.</summary>
    private async Task<bool> MarkNodeAsReachableAsync(Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata!.Name!;
        var taints = node.Spec?.Taints;
        if (NodeTaints.Has(taints, NodeTaints.Unreachable, NodeTaints.NoExecute) || NodeTaints.Has(taints, NodeTaints.NotReady, NodeTaints.NoExecute))
        {
            await _writer.SwapTaintsAsync(name, [],
                [new Taint { Key = NodeTaints.Unreachable, Effect = NodeTaints.NoExecute }, new Taint { Key = NodeTaints.NotReady, Effect = NodeTaints.NoExecute }],
                cancellationToken);
        }

        lock (_lock)
        {
            return TainterFor(Zones.KeyOf(node), _time.GetUtcNow()).Remove(name);
        }
    }

    private Task<bool> SwapNoExecuteAsync(string name, string add, string remove, CancellationToken cancellationToken) =>
        _writer.SwapTaintsAsync(name, [new Taint { Key = add, Effect = NodeTaints.NoExecute, TimeAdded = _time.GetUtcNow() }],
            [new Taint { Key = remove, Effect = NodeTaints.NoExecute }], cancellationToken);

    // Under _lock. Zones get a tainter when first seen, at the normal rate (as upstream's addPodEvictorForNewZone).
    private ZoneTainter TainterFor(string zone, DateTimeOffset now)
    {
        if (!_tainters.TryGetValue(zone, out var tainter))
        {
            tainter = new ZoneTainter(Options.NodeEvictionRate, now);
            _tainters[zone] = tainter;
        }

        return tainter;
    }

    private void WakeTainter()
    {
        lock (_lock)
        {
            _wakeTainter.TrySetResult();
        }
    }

    /// <summary>
    /// Taints every queued node that is due and allowed by its zone's rate; returns how long until the next one may be,
    /// or null when nothing waits (or only zones whose rate is zero).
    /// </summary>
    public async Task<TimeSpan?> TaintingPassAsync(CancellationToken cancellationToken)
    {
        List<string> zones;
        lock (_lock)
        {
            zones = [.. _tainters.Keys];
        }

        foreach (var zone in zones)
        {
            while (true)
            {
                string? name;
                lock (_lock)
                {
                    name = _tainters[zone].TryTake(_time.GetUtcNow());
                }

                if (name is null)
                {
                    break;
                }

                var outcome = await TaintAsync(name, cancellationToken);
                if (outcome != TaintOutcome.Done)
                {
                    lock (_lock)
                    {
                        _tainters[zone].Retry(name, _time.GetUtcNow() + TaintRetryDelay, refund: outcome == TaintOutcome.NotYet);
                    }
                }
            }
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var next = _tainters.Values.Select(t => t.NextDue(now)).Where(d => d is not null).Min();
            return next is { } due ? (due > now ? due - now : TimeSpan.Zero) : null;
        }
    }

    /// <summary>What became of a node handed out for tainting.</summary>
    private enum TaintOutcome
    {
        /// <summary>Tainted, or nothing to taint any more.</summary>
        Done,

        /// <summary>
        /// The cache does not show the node's Ready condition yet (the controller's own write of it is on its way):
        /// try again shortly, and without spending the zone's token (upstream spends it, delaying the taint one period).
        /// </summary>
        NotYet,

        /// <summary>The write failed: try again shortly; the token is spent.</summary>
        Failed,
    }

    /// <summary>Taints one node from the queue as its Ready condition says now.</summary>
    private async Task<TaintOutcome> TaintAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, name);
        if (node is null)
        {
            return TaintOutcome.Done;
        }

        var status = NodeConditions.ReadyOf(node)?.Status;
        if (status is null)
        {
            return TaintOutcome.NotYet;
        }

        if (status is not ("False" or "Unknown"))
        {
            return TaintOutcome.Done; // Ready again meanwhile: nothing to taint.
        }

        var (add, remove) = status == "False" ? (NodeTaints.NotReady, NodeTaints.Unreachable) : (NodeTaints.Unreachable, NodeTaints.NotReady);
        try
        {
            await SwapNoExecuteAsync(name, add, remove, cancellationToken);
            _log($"{ControllerName}: node {name}: added taint {add}:NoExecute");
            return TaintOutcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log($"{ControllerName}: tainting node {name} failed, trying again: {e.Message}");
            return TaintOutcome.Failed;
        }
    }

    private async Task RunTaintingAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task wake;
            lock (_lock)
            {
                _wakeTainter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wake = _wakeTainter.Task;
            }

            TimeSpan? next;
            try
            {
                next = await TaintingPassAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log($"{ControllerName}: tainting pass failed, again in 1 s: {e}");
                next = TimeSpan.FromSeconds(1);
            }

            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(next ?? Timeout.InfiniteTimeSpan, _time, sleep.Token);
            await Task.WhenAny(wake, delay);
            await sleep.CancelAsync();
        }
    }
}
