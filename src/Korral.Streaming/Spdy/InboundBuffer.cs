namespace Korral.Streaming.Spdy;

/// <summary>
/// The bytes a stream has received and its reader has not taken yet. The connection's read loop adds to it and, past
/// <c>highWater</c>, waits until the reader drains half of it: one slow reader then holds up the connection's reading
/// (the TCP window pushes back on the peer), which is what spdystream does too, only later than its unbuffered channel.
/// Ending (FIN, reset, connection end) keeps the bytes readable; discarding (local reset) drops them and never blocks.
/// </summary>
internal sealed class InboundBuffer(int highWater)
{
    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _chunks = new();
    private int _headOffset;
    private long _buffered;
    private bool _ended;
    private bool _discarded;
    private TaskCompletionSource? _dataWaiter;
    private TaskCompletionSource? _spaceWaiter;

    /// <summary>Bytes waiting for the reader.</summary>
    public long Buffered
    {
        get
        {
            lock (_gate)
            {
                return _buffered;
            }
        }
    }

    /// <summary>Adds bytes; the returned task completes when the buffer has room again (at once while below the mark).</summary>
    public Task AddAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        TaskCompletionSource? wake;
        Task? wait = null;
        lock (_gate)
        {
            if (_ended || _discarded || data.IsEmpty)
            {
                return Task.CompletedTask;
            }

            _chunks.Enqueue(data);
            _buffered += data.Length;
            wake = _dataWaiter;
            _dataWaiter = null;
            if (_buffered > highWater)
            {
                _spaceWaiter ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _spaceWaiter.Task;
            }
        }

        wake?.TrySetResult();
        return wait?.WaitAsync(cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>No more bytes will come; what is buffered stays readable.</summary>
    public void End()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            _ended = true;
            wake = _dataWaiter;
            _dataWaiter = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>Drops what is buffered and anything that arrives later; releases a waiting read loop.</summary>
    public void Discard()
    {
        TaskCompletionSource? wakeReader;
        TaskCompletionSource? wakeWriter;
        lock (_gate)
        {
            _discarded = true;
            _chunks.Clear();
            _headOffset = 0;
            _buffered = 0;
            wakeReader = _dataWaiter;
            wakeWriter = _spaceWaiter;
            _dataWaiter = null;
            _spaceWaiter = null;
        }

        wakeReader?.TrySetResult();
        wakeWriter?.TrySetResult();
    }

    /// <summary>Copies buffered bytes into <paramref name="destination"/>, waiting for some; 0 once ended and drained.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            Task wait;
            TaskCompletionSource? wakeWriter = null;
            var copied = 0;
            lock (_gate)
            {
                while (copied < destination.Length && _chunks.TryPeek(out var chunk))
                {
                    var n = Math.Min(chunk.Length - _headOffset, destination.Length - copied);
                    chunk.Span.Slice(_headOffset, n).CopyTo(destination.Span[copied..]);
                    copied += n;
                    _headOffset += n;
                    if (_headOffset == chunk.Length)
                    {
                        _chunks.Dequeue();
                        _headOffset = 0;
                    }
                }

                _buffered -= copied;
                if (copied > 0 && _spaceWaiter is not null && _buffered <= highWater / 2)
                {
                    wakeWriter = _spaceWaiter;
                    _spaceWaiter = null;
                }

                if (copied == 0)
                {
                    if (_ended || _discarded)
                    {
                        return 0;
                    }

                    _dataWaiter ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _dataWaiter.Task;
                }
                else
                {
                    wait = Task.CompletedTask;
                }
            }

            wakeWriter?.TrySetResult();
            if (copied > 0)
            {
                return copied;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }
}
