using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Runtime;

/// <summary>Pods held by Permit plugins that said Wait, each until every such plugin allows it, one rejects it, or a timeout.</summary>
public sealed class WaitingPods(TimeProvider time) : IWaitingPods
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Waiting> _pods = new(StringComparer.Ordinal);

    private sealed class Waiting
    {
        public required HashSet<string> Pending { get; init; }

        public TaskCompletionSource<Status> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<ITimer> Timers { get; } = [];
    }

    public IReadOnlyCollection<string> WaitingPodUids
    {
        get
        {
            lock (_lock)
            {
                return [.. _pods.Keys];
            }
        }
    }

    /// <summary>Starts holding the pod for <paramref name="plugins"/> (name → timeout); the task ends with the verdict.</summary>
    internal Task<Status> Hold(string podUid, IReadOnlyDictionary<string, TimeSpan> plugins)
    {
        var waiting = new Waiting { Pending = new HashSet<string>(plugins.Keys, StringComparer.Ordinal) };
        lock (_lock)
        {
            _pods[podUid] = waiting;
        }

        foreach (var (plugin, timeout) in plugins)
        {
            waiting.Timers.Add(time.CreateTimer(_ => Reject(podUid, plugin, $"rejected due to timeout after waiting {timeout.TotalSeconds:0.###}s at plugin {plugin}"),
                null, timeout, Timeout.InfiniteTimeSpan));
        }

        return waiting.Outcome.Task;
    }

    public bool Allow(string podUid, string plugin)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(podUid, out var waiting) || !waiting.Pending.Remove(plugin))
            {
                return false;
            }

            if (waiting.Pending.Count == 0)
            {
                EndLocked(podUid, waiting, Status.Success);
            }

            return true;
        }
    }

    public bool Reject(string podUid, string plugin, string message)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(podUid, out var waiting))
            {
                return false;
            }

            EndLocked(podUid, waiting, Status.Unschedulable(message).WithPlugin(plugin));
            return true;
        }
    }

    private void EndLocked(string podUid, Waiting waiting, Status outcome)
    {
        _pods.Remove(podUid);
        foreach (var timer in waiting.Timers)
        {
            timer.Dispose();
        }

        waiting.Outcome.TrySetResult(outcome);
    }
}
