using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Queue;

/// <summary>
/// Upstream's priority queue for pods waiting to be scheduled, keyed by pod UID:
/// <list type="bullet">
/// <item>active: ready now, ordered by the queue-sort plugin (priority, then age); <see cref="PopAsync"/> takes from here;</item>
/// <item>backoff: failed recently, ordered by when their backoff (initial × 2^(attempts−1), capped) ends;</item>
/// <item>unschedulable: rejected by plugins; moved back by a cluster event one of those plugins registered for, or after
/// <see cref="SchedulingQueueOptions.MaxInUnschedulablePods"/>. Pods held by PreEnqueue (scheduling gates) wait here too.</item>
/// </list>
/// A pod rejected while an event arrived during its own cycle goes to backoff instead of unschedulable, so the event is not
/// lost. One timer (of the options' <see cref="TimeProvider"/>) fires at the earliest backoff end or unschedulable flush.
/// Thread-safe.
/// </summary>
public sealed class SchedulingQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SchedulingQueueOptions _options;
    private readonly Func<PodInfo, Status> _preEnqueue;
    private readonly Func<QueuedPodInfo, ClusterEvent, bool> _movesOn;
    private readonly KeyedHeap<QueuedPodInfo> _active;
    private readonly KeyedHeap<QueuedPodInfo> _backoff;
    private readonly Dictionary<string, QueuedPodInfo> _unschedulable = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private TaskCompletionSource _notEmpty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _schedulingCycle;
    private long _moveRequestCycle = -1;
    private DateTimeOffset _nextUnschedulableFlush;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private bool _closed;

    /// <param name="less">The queue-sort plugin's order.</param>
    /// <param name="preEnqueue">PreEnqueue plugins: not success keeps the pod out of the active queue.</param>
    /// <param name="movesOn">Whether a cluster event may make this rejected pod schedulable (the rejecting plugins' registrations).</param>
    public SchedulingQueue(SchedulingQueueOptions options, Func<QueuedPodInfo, QueuedPodInfo, bool> less, Func<PodInfo, Status> preEnqueue,
        Func<QueuedPodInfo, ClusterEvent, bool> movesOn, Nominator? nominator = null)
    {
        Nominator = nominator ?? new Nominator();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }

        _options = options;
        _preEnqueue = preEnqueue;
        _movesOn = movesOn;
        _active = new KeyedHeap<QueuedPodInfo>(q => q.Pod.Uid, less);
        _backoff = new KeyedHeap<QueuedPodInfo>(q => q.Pod.Uid, (a, b) => BackoffExpiry(a) < BackoffExpiry(b));
        _nextUnschedulableFlush = options.Time.GetUtcNow() + options.UnschedulableFlushInterval;
        _timer = options.Time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            ArmTimerLocked();
        }
    }

    public Nominator Nominator { get; }

    /// <summary>The number of the cycle last handed out by <see cref="PopAsync"/>.</summary>
    public long SchedulingCycle
    {
        get
        {
            lock (_lock)
            {
                return _schedulingCycle;
            }
        }
    }

    /// <summary>Counts per sub-queue (tests, metrics).</summary>
    public (int Active, int Backoff, int Unschedulable) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_active.Count, _backoff.Count, _unschedulable.Count);
            }
        }
    }

    /// <summary>Where the pod is: "active", "backoff", "unschedulable", "inflight" or null.</summary>
    public string? Where(string uid)
    {
        lock (_lock)
        {
            return _active.Contains(uid) ? "active" : _backoff.Contains(uid) ? "backoff" : _unschedulable.ContainsKey(uid) ? "unschedulable"
                : _inFlight.Contains(uid) ? "inflight" : null;
        }
    }

    /// <summary>A new pending pod.</summary>
    public void Add(PodInfo pod)
    {
        lock (_lock)
        {
            var now = _options.Time.GetUtcNow();
            var queued = new QueuedPodInfo(pod, now);
            _backoff.Remove(pod.Uid);
            _unschedulable.Remove(pod.Uid);
            AddToActiveOrGateLocked(queued, now);
            Nominator.Update(pod);
        }
    }

    /// <summary>A pending pod changed: the queue keeps the newest version; a changed rejected pod is tried again.</summary>
    public void Update(PodInfo oldPod, PodInfo newPod)
    {
        lock (_lock)
        {
            var uid = newPod.Uid;
            Nominator.Update(newPod);
            if (_active.Get(uid) is { } active)
            {
                active.Pod = newPod;
                _active.AddOrUpdate(active);
                return;
            }

            if (_backoff.Get(uid) is { } backingOff)
            {
                backingOff.Pod = newPod;
                _backoff.AddOrUpdate(backingOff);
                return;
            }

            if (_unschedulable.TryGetValue(uid, out var waiting))
            {
                waiting.Pod = newPod;
                if (waiting.GatingPlugins.Count > 0 || SpecOrLabelsChanged(oldPod, newPod))
                {
                    _unschedulable.Remove(uid);
                    var now = _options.Time.GetUtcNow();
                    if (waiting.GatingPlugins.Count == 0 && BackoffExpiry(waiting) > now)
                    {
                        _backoff.AddOrUpdate(waiting);
                        ArmTimerLocked();
                    }
                    else
                    {
                        AddToActiveOrGateLocked(waiting, now);
                    }
                }

                return;
            }

            if (_inFlight.Contains(uid))
            {
                // Being scheduled now: the cycle's outcome decides; an update means the next failure goes to backoff.
                _moveRequestCycle = _schedulingCycle;
                return;
            }

            AddToActiveOrGateLocked(new QueuedPodInfo(newPod, _options.Time.GetUtcNow()), _options.Time.GetUtcNow());
        }
    }

    /// <summary>The pod is gone or no longer pending (bound by someone, deleted).</summary>
    public void Delete(string uid)
    {
        lock (_lock)
        {
            _active.Remove(uid);
            _backoff.Remove(uid);
            _unschedulable.Remove(uid);
        }

        Nominator.DeleteNominatedPodIfExists(uid);
    }

    /// <summary>
    /// Waits for and takes the next pod to schedule; the pod stays "in flight" until <see cref="Done"/>. Returns null once
    /// the queue is closed.
    /// </summary>
    public async ValueTask<(QueuedPodInfo Pod, long Cycle)?> PopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_closed)
                {
                    return null;
                }

                if (_active.Pop() is { } next)
                {
                    next.Attempts++;
                    _schedulingCycle++;
                    _inFlight.Add(next.Pod.Uid);
                    return (next, _schedulingCycle);
                }

                if (_notEmpty.Task.IsCompleted)
                {
                    _notEmpty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wait = _notEmpty.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pod's scheduling (and binding) attempt is over.</summary>
    public void Done(string uid)
    {
        lock (_lock)
        {
            _inFlight.Remove(uid);
        }
    }

    /// <summary>
    /// Puts back a pod whose attempt failed: errors and pods whose cycle saw a cluster event go to backoff; rejected pods go
    /// to unschedulable until a relevant event. Nothing happens when the pod is already queued (an update re-added it).
    /// </summary>
    public void AddUnschedulableIfNotPresent(QueuedPodInfo pod, long podSchedulingCycle)
    {
        lock (_lock)
        {
            var uid = pod.Pod.Uid;
            _inFlight.Remove(uid);
            if (_active.Contains(uid) || _backoff.Contains(uid) || _unschedulable.ContainsKey(uid))
            {
                return;
            }

            var now = _options.Time.GetUtcNow();
            pod.Timestamp = now;
            if (pod.LastAttemptFailed || _moveRequestCycle >= podSchedulingCycle)
            {
                _backoff.AddOrUpdate(pod);
                ArmTimerLocked();
            }
            else
            {
                pod.UnschedulableSince = now;
                _unschedulable[uid] = pod;
            }
        }
    }

    /// <summary>
    /// A cluster event: rejected pods that it may help go to active (backoff over) or backoff. Cost: the number of
    /// unschedulable pods.
    /// </summary>
    public void OnClusterEvent(ClusterEvent clusterEvent)
    {
        lock (_lock)
        {
            _moveRequestCycle = _schedulingCycle;
            if (_unschedulable.Count == 0)
            {
                return;
            }

            var now = _options.Time.GetUtcNow();
            List<QueuedPodInfo>? moving = null;
            foreach (var pod in _unschedulable.Values)
            {
                if (pod.GatingPlugins.Count == 0 && _movesOn(pod, clusterEvent))
                {
                    (moving ??= []).Add(pod);
                }
            }

            if (moving is not null)
            {
                MoveLocked(moving, now);
            }
        }
    }

    /// <summary>Moves every rejected pod back (e.g. after a restart of leadership). Gated pods stay.</summary>
    public void MoveAllToActiveOrBackoff()
    {
        lock (_lock)
        {
            _moveRequestCycle = _schedulingCycle;
            MoveLocked([.. _unschedulable.Values.Where(p => p.GatingPlugins.Count == 0)], _options.Time.GetUtcNow());
        }
    }

    /// <summary>Pods currently waiting in any sub-queue (diagnostics).</summary>
    public IReadOnlyList<QueuedPodInfo> PendingPods()
    {
        lock (_lock)
        {
            return [.. _active.Items, .. _backoff.Items, .. _unschedulable.Values];
        }
    }

    /// <summary>Ends <see cref="PopAsync"/> waits; later pops return null.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _notEmpty.TrySetResult();
        }
    }

    public void Dispose()
    {
        Close();
        _timer.Dispose();
    }

    /// <summary>When the pod's backoff ends: last attempt + initial × 2^(attempts − 1), capped at the maximum.</summary>
    public DateTimeOffset BackoffExpiry(QueuedPodInfo pod) => pod.Timestamp + BackoffDuration(pod.Attempts);

    internal TimeSpan BackoffDuration(int attempts)
    {
        var duration = _options.InitialBackoff;
        for (var i = 1; i < attempts; i++)
        {
            duration += duration;
            if (duration >= _options.MaxBackoff)
            {
                return _options.MaxBackoff;
            }
        }

        return duration;
    }

    /// <summary>Runs the periodic work now (tests with fake time call it through the timer).</summary>
    internal void Flush()
    {
        lock (_lock)
        {
            var now = _options.Time.GetUtcNow();
            while (_backoff.Peek() is { } next && BackoffExpiry(next) <= now)
            {
                _backoff.Pop();
                AddToActiveOrGateLocked(next, now);
            }

            if (now >= _nextUnschedulableFlush)
            {
                _nextUnschedulableFlush = now + _options.UnschedulableFlushInterval;
                var stale = _unschedulable.Values
                    .Where(p => p.GatingPlugins.Count == 0 && now - p.UnschedulableSince > _options.MaxInUnschedulablePods).ToList();
                if (stale.Count > 0)
                {
                    MoveLocked(stale, now);
                }
            }

            _timerDue = DateTimeOffset.MaxValue;
            ArmTimerLocked();
        }
    }

    private void OnTimer() => Flush();

    private void MoveLocked(List<QueuedPodInfo> pods, DateTimeOffset now)
    {
        foreach (var pod in pods)
        {
            _unschedulable.Remove(pod.Pod.Uid);
            if (BackoffExpiry(pod) > now)
            {
                _backoff.AddOrUpdate(pod);
            }
            else
            {
                AddToActiveOrGateLocked(pod, now);
            }
        }

        ArmTimerLocked();
    }

    private void AddToActiveOrGateLocked(QueuedPodInfo pod, DateTimeOffset now)
    {
        var status = _preEnqueue(pod.Pod);
        pod.GatingPlugins.Clear();
        if (!status.IsSuccess)
        {
            pod.GatingPlugins.Add(status.Plugin ?? "PreEnqueue");
            pod.UnschedulableSince = now;
            _unschedulable[pod.Pod.Uid] = pod;
            return;
        }

        _active.AddOrUpdate(pod);
        _notEmpty.TrySetResult();
    }

    private void ArmTimerLocked()
    {
        if (_closed)
        {
            return;
        }

        var due = _nextUnschedulableFlush;
        if (_backoff.Peek() is { } next && BackoffExpiry(next) < due)
        {
            due = BackoffExpiry(next);
        }

        if (due >= _timerDue)
        {
            return;
        }

        _timerDue = due;
        var delay = due - _options.Time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    private static bool SpecOrLabelsChanged(PodInfo oldPod, PodInfo newPod)
    {
        var a = oldPod.Pod;
        var b = newPod.Pod;
        if (!StringMaps.Equal(a.Metadata?.Labels, b.Metadata?.Labels))
        {
            return true;
        }

        // Spec changes a scheduler cares about are rare and small: compare the serialized specs.
        return Api.Models.KubeJson.Serialize(a.Spec) != Api.Models.KubeJson.Serialize(b.Spec);
    }
}
