namespace Korral.Client.Queues;

/// <summary>
/// A work queue with <see cref="AddAfter"/>: delayed items wait in a heap ordered by due time, and one timer of the
/// <see cref="TimeProvider"/> (fake in tests) fires for the earliest. Items still waiting at shutdown are dropped.
/// </summary>
public class DelayingQueue<T> : WorkQueue<T>, IDelayingQueue<T>
    where T : notnull
{
    private readonly Lock _delayLock = new();
    private readonly PriorityQueue<T, (DateTimeOffset Due, long Seq)> _heap = new();
    private readonly Dictionary<T, DateTimeOffset> _waiting = [];
    private readonly ITimer _timer;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private long _seq;
    private bool _stopped;

    public DelayingQueue(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        _timer = Time.CreateTimer(static state => ((DelayingQueue<T>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeProvider Time { get; }

    /// <summary>Items waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_delayLock)
            {
                return _waiting.Count;
            }
        }
    }

    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_delayLock)
        {
            if (_stopped)
            {
                return;
            }

            var due = Time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var existing) && existing <= due)
            {
                return;
            }

            // An earlier time for a waiting item leaves its old heap entry behind; OnTimer skips such stale entries.
            _waiting[item] = due;
            _heap.Enqueue(item, (due, _seq++));
            if (due < _timerDue)
            {
                Arm(due);
            }
        }
    }

    public override void ShutDown()
    {
        lock (_delayLock)
        {
            _stopped = true;
            _heap.Clear();
            _waiting.Clear();
            _timer.Dispose();
        }

        base.ShutDown();
    }

    private void OnTimer()
    {
        List<T>? ready = null;
        lock (_delayLock)
        {
            if (_stopped)
            {
                return;
            }

            var now = Time.GetUtcNow();
            _timerDue = DateTimeOffset.MaxValue;
            while (_heap.TryPeek(out var item, out var priority))
            {
                if (!_waiting.TryGetValue(item, out var due) || due != priority.Due)
                {
                    _heap.Dequeue();
                    continue;
                }

                if (due > now)
                {
                    Arm(due);
                    break;
                }

                _heap.Dequeue();
                _waiting.Remove(item);
                (ready ??= []).Add(item);
            }
        }

        if (ready is not null)
        {
            foreach (var item in ready)
            {
                Add(item);
            }
        }
    }

    // Under _delayLock.
    private void Arm(DateTimeOffset due)
    {
        _timerDue = due;
        var wait = due - Time.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }
}
