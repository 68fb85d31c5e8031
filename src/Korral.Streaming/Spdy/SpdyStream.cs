namespace Korral.Streaming.Spdy;

/// <summary>
/// One SPDY stream: a pair of half-connections, each ended by FIN, or both at once by RST_STREAM. Reading returns 0 at
/// the peer's FIN, at its reset and when the connection ends — after everything received before — as spdystream's
/// streams do; the Kubernetes protocols end streams all three ways (containerd FINs stdout and stderr, writes the
/// status, then resets the error and stdin streams and sends GOAWAY). One reader and one writer at a time.
/// </summary>
public sealed class SpdyStream
{
    private readonly SpdyConnection _connection;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<SpdyHeaders>? _reply;
    private readonly InboundBuffer _inbound;
    private bool _replySent;
    private bool _localFinished;
    private bool _remoteFinished;
    private bool _resetLocally;
    private SpdyRstStatus? _resetStatus;
    private SpdyHeaders? _replyHeaders;

    internal SpdyStream(SpdyConnection connection, uint id, SpdyHeaders headers, bool local, int bufferSize)
    {
        _connection = connection;
        Id = id;
        Headers = headers;
        IsLocal = local;
        _inbound = new InboundBuffer(bufferSize);
        if (local)
        {
            _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public uint Id { get; }

    /// <summary>The headers of the SYN_STREAM that opened the stream.</summary>
    public SpdyHeaders Headers { get; }

    /// <summary>Whether this side opened the stream.</summary>
    public bool IsLocal { get; }

    /// <summary>The SYN_REPLY's headers, for a stream this side opened.</summary>
    public SpdyHeaders? ReplyHeaders
    {
        get
        {
            lock (_gate)
            {
                return _replyHeaders;
            }
        }
    }

    /// <summary>The status of the peer's RST_STREAM, if it reset the stream.</summary>
    public SpdyRstStatus? ResetStatus
    {
        get
        {
            lock (_gate)
            {
                return _resetStatus;
            }
        }
    }

    /// <summary>Bytes received and not read yet.</summary>
    internal long Buffered => _inbound.Buffered;

    internal Task<SpdyHeaders> Reply => _reply?.Task ?? throw new InvalidOperationException("the peer opened this stream");

    /// <summary>Both halves are over (or the stream was reset): the connection forgets it.</summary>
    internal bool IsDone
    {
        get
        {
            lock (_gate)
            {
                return _resetLocally || _resetStatus is not null || (_localFinished && _remoteFinished);
            }
        }
    }

    /// <summary>Reads received bytes; 0 once the peer finished or reset the stream, or the connection ended.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inbound.ReadAsync(buffer, cancellationToken);

    /// <summary>Sends <paramref name="data"/> as DATA frames; returns when they are written to the connection.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        var max = _connection.MaxDataFrameSize;
        while (!data.IsEmpty)
        {
            var chunk = data[..Math.Min(max, data.Length)];
            EnsureWritable();
            await _connection.SendDataAsync(Id, chunk, fin: false, cancellationToken);
            data = data[chunk.Length..];
        }
    }

    /// <summary>Half-closes the stream: an empty DATA frame with FIN. Closing twice does nothing.</summary>
    public async Task CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_localFinished)
            {
                return;
            }
        }

        EnsureWritable();
        lock (_gate)
        {
            _localFinished = true;
        }

        try
        {
            await _connection.SendDataAsync(Id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);
        }
        finally
        {
            _connection.Release(this);
        }
    }

    /// <summary>Resets the stream (RST_STREAM): both directions end, unread bytes are dropped.</summary>
    public Task ResetAsync(SpdyRstStatus status = SpdyRstStatus.Cancel, CancellationToken cancellationToken = default)
    {
        if (!MarkResetLocally())
        {
            return Task.CompletedTask;
        }

        _connection.Release(this);
        return _connection.SendResetAsync(Id, status, cancellationToken);
    }

    /// <summary>Accepts a stream the peer opened (SYN_REPLY); data can be written after it.</summary>
    public async Task ReplyAsync(SpdyHeaders? headers = null, bool fin = false, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (IsLocal || _replySent)
            {
                throw new InvalidOperationException(IsLocal ? "only the peer's streams are replied to" : "the stream was already replied to");
            }

            _replySent = true;
            _localFinished |= fin;
        }

        await _connection.SendReplyAsync(Id, headers ?? new SpdyHeaders(), fin, cancellationToken);
        if (fin)
        {
            _connection.Release(this);
        }
    }

    /// <summary>Marks a stream reset by this side without telling the peer (the caller sends or skips the frame).</summary>
    internal bool MarkResetLocally()
    {
        lock (_gate)
        {
            if (_resetLocally || _resetStatus is not null)
            {
                return false;
            }

            _resetLocally = true;
        }

        _inbound.Discard();
        _reply?.TrySetException(new IOException($"SPDY stream {Id} was reset"));
        return true;
    }

    /// <summary>A stream the peer opened half-closed, or unidirectional: this side never writes.</summary>
    internal void MarkLocalFinished()
    {
        lock (_gate)
        {
            _localFinished = true;
        }
    }

    internal Task AddDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _inbound.AddAsync(data, cancellationToken);

    internal void OnReply(SpdyHeaders headers)
    {
        lock (_gate)
        {
            if (_replyHeaders is not null)
            {
                return;
            }

            _replyHeaders = headers;
        }

        _reply?.TrySetResult(headers);
    }

    internal void OnRemoteFin()
    {
        lock (_gate)
        {
            _remoteFinished = true;
        }

        _inbound.End();
    }

    internal void OnPeerReset(SpdyRstStatus status)
    {
        lock (_gate)
        {
            _resetStatus ??= status;
        }

        _inbound.End();
        _reply?.TrySetException(new SpdyStreamResetException(Id, status));
    }

    internal void OnConnectionEnd(Exception reason)
    {
        _inbound.End();
        _reply?.TrySetException(reason);
    }

    private void EnsureWritable()
    {
        lock (_gate)
        {
            if (_resetStatus is { } status)
            {
                throw new SpdyStreamResetException(Id, status);
            }

            if (_resetLocally || _localFinished)
            {
                throw new InvalidOperationException($"SPDY stream {Id} is closed for writing");
            }

            if (!IsLocal && !_replySent)
            {
                throw new InvalidOperationException($"SPDY stream {Id} must be replied to before data is written");
            }
        }
    }
}
