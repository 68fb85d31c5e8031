namespace Korral.Client.Queues;

/// <summary>The FIFO work queue of <see cref="IWorkQueue{T}"/>'s contract. Thread-safe.</summary>
public class WorkQueue<T> : IWorkQueue<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();

    // Items waiting to be processed (in _queue, or processing and added again).
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];

    // Workers waiting in GetAsync; only non-empty while _queue is empty.
    private readonly LinkedList<TaskCompletionSource<(T, bool)>> _waiters = new();
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(item) || _processing.Contains(item))
            {
                return;
            }

            Enqueue(item);
        }
    }

    public ValueTask<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<(T, bool)> waiter;
        LinkedListNode<TaskCompletionSource<(T, bool)>> node;
        lock (_lock)
        {
            if (_queue.TryDequeue(out var item))
            {
                _dirty.Remove(item);
                _processing.Add(item);
                return ValueTask.FromResult((item, false));
            }

            if (_shuttingDown)
            {
                return ValueTask.FromResult((default(T)!, true));
            }

            waiter = new TaskCompletionSource<(T, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(waiter, node, cancellationToken) : new ValueTask<(T, bool)>(waiter.Task);
    }

    public void Done(T item)
    {
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                Enqueue(item);
            }
            else
            {
                SignalIfDrained();
            }
        }
    }

    public virtual void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.TrySetResult((default!, true));
            }

            SignalIfDrained();
        }
    }

    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_lock)
        {
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        ShutDown();
        await drained.WaitAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="item"/> is being processed (for tests and diagnostics).</summary>
    public bool IsProcessing(T item)
    {
        lock (_lock)
        {
            return _processing.Contains(item);
        }
    }

    // Called under _lock with item in _dirty: hands it to a waiting worker, or queues it.
    private void Enqueue(T item)
    {
        while (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            if (first.Value.TrySetResult((item, false)))
            {
                _dirty.Remove(item);
                _processing.Add(item);
                return;
            }
        }

        _queue.Enqueue(item);
    }

    private void SignalIfDrained()
    {
        if (_drained is not null && _queue.Count == 0 && _processing.Count == 0)
        {
            _drained.TrySetResult();
        }
    }

    private async ValueTask<(T, bool)> WaitAsync(TaskCompletionSource<(T, bool)> waiter, LinkedListNode<TaskCompletionSource<(T, bool)>> node,
        CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                // Either the item was handed over already (TrySetResult won and the node left the list), or the waiter
                // leaves the list here and no item can be handed to it any more.
                if (waiter.TrySetCanceled(cancellationToken))
                {
                    _waiters.Remove(node);
                }
            }
        }))
        {
            return await waiter.Task;
        }
    }
}
