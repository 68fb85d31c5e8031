using System.Threading.Channels;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Spdy;

/// <summary>
/// A SPDY/3.1 session over an upgraded connection, as moby/spdystream (client-go, the kubelet, containerd) speaks it:
/// no flow control (WINDOW_UPDATE and SETTINGS are read and ignored), header blocks compressed with the SPDY
/// dictionary, PINGs echoed. A client opens odd streams and refuses the peer's; a server accepts odd streams and opens
/// even ones. One task reads and dispatches frames, one writes them (frames never interleave, and the reader never
/// waits on the writer). A peer that ends, breaks framing or is disposed ends every stream and fails what waits.
/// </summary>
public sealed partial class SpdyConnection : IAsyncDisposable
{
    private const uint MaxStreamId = 0x7FFFFFFF;

    private readonly Stream _transport;
    private readonly SpdyConnectionOptions _options;
    private readonly SpdyFrameReader _reader;
    private readonly SpdyFrameWriter _writer = new();
    private readonly Channel<OutgoingFrame> _outgoing =
        Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Channel<SpdyStream> _incoming = Channel.CreateUnbounded<SpdyStream>();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, SpdyStream> _streams = [];
    private readonly Dictionary<uint, TaskCompletionSource> _pings = [];
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private uint _nextStreamId;
    private uint _lastPeerStreamId;
    private uint _nextPingId;
    private bool _goAwaySent;
    private bool _goAwayReceived;
    private Exception? _closedReason;
    private int _disposed;

    private SpdyConnection(Stream transport, bool isServer, SpdyConnectionOptions? options)
    {
        _transport = transport;
        _options = options ?? SpdyConnectionOptions.Default;
        IsServer = isServer;
        _nextStreamId = _nextPingId = isServer ? 2u : 1u;
        _reader = new SpdyFrameReader(transport);
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Whether this side is the server (accepts streams, even stream and ping ids).</summary>
    public bool IsServer { get; }

    /// <summary>Completes when the connection has ended: the peer closed it, broke the protocol, or it was disposed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the connection ended (null while it runs, or after a clean end of the peer's side).</summary>
    public Exception? Error
    {
        get
        {
            lock (_gate)
            {
                return _closedReason is EndOfConnection ? null : _closedReason;
            }
        }
    }

    internal int MaxDataFrameSize => Math.Clamp(_options.MaxDataFrameSize, 1, SpdyFrameWriter.MaxDataLength);

    /// <summary>Starts the client side of a session on a connection already switched to SPDY/3.1.</summary>
    public static SpdyConnection Client(Stream transport, SpdyConnectionOptions? options = null) => new(transport, false, options);

    /// <summary>Starts the server side of a session on a connection already switched to SPDY/3.1.</summary>
    public static SpdyConnection Server(Stream transport, SpdyConnectionOptions? options = null) => new(transport, true, options);

    /// <summary>
    /// Opens a stream (SYN_STREAM with <paramref name="headers"/>) and waits for the peer's SYN_REPLY, as client-go
    /// does before using a stream. Throws <see cref="TimeoutException"/> after ReplyTimeout (the stream is reset),
    /// <see cref="SpdyStreamResetException"/> when the peer refuses it, <see cref="IOException"/> when the connection
    /// ends or the peer sent GOAWAY.
    /// </summary>
    public async Task<SpdyStream> OpenStreamAsync(SpdyHeaders headers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headers);
        SpdyStream stream;
        lock (_gate)
        {
            ThrowIfClosed();
            if (_goAwayReceived || _goAwaySent)
            {
                throw new IOException("the SPDY connection is going away: no new streams");
            }

            if (_nextStreamId > MaxStreamId)
            {
                throw new IOException("the SPDY connection has used all its stream ids");
            }

            stream = new SpdyStream(this, _nextStreamId, headers, local: true, _options.StreamBufferSize);
            _nextStreamId += 2;
            _streams.Add(stream.Id, stream);
            // Queued under the lock: stream ids must reach the wire in increasing order.
            Post(new SynStreamFrame(stream.Id, 0, 0, 0, 0, headers));
        }

        using var timer = new CancellationTokenSource(_options.ReplyTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await stream.Reply.WaitAsync(linked.Token);
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Abandon(stream);
            throw new TimeoutException($"no SYN_REPLY for SPDY stream {stream.Id} ({headers}) within {_options.ReplyTimeout}");
        }
        catch
        {
            Abandon(stream);
            throw;
        }
    }

    /// <summary>The next stream the peer opens (server side); reply to it with <see cref="SpdyStream.ReplyAsync"/>.</summary>
    public async Task<SpdyStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        if (!IsServer)
        {
            throw new InvalidOperationException("a SPDY client does not accept streams");
        }

        try
        {
            return await _incoming.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw Closed();
        }
    }

    /// <summary>Sends a PING and returns the time until its echo.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        uint id;
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ThrowIfClosed();
            id = _nextPingId;
            _nextPingId += 2;
            if (_nextPingId > MaxStreamId)
            {
                _nextPingId = IsServer ? 2u : 1u;
            }

            _pings[id] = echo;
        }

        var started = _options.TimeProvider.GetTimestamp();
        try
        {
            await SendAsync(new PingFrame(id), cancellationToken);
            await echo.Task.WaitAsync(cancellationToken);
            return _options.TimeProvider.GetElapsedTime(started);
        }
        finally
        {
            lock (_gate)
            {
                _pings.Remove(id);
            }
        }
    }

    /// <summary>Sends GOAWAY: the peer's streams after the last one seen are refused; no new stream is opened here.</summary>
    public Task GoAwayAsync(SpdyGoAwayStatus status = SpdyGoAwayStatus.Ok, CancellationToken cancellationToken = default)
    {
        uint lastGood;
        lock (_gate)
        {
            ThrowIfClosed();
            _goAwaySent = true;
            lastGood = _lastPeerStreamId;
        }

        return SendAsync(new GoAwayFrame(lastGood, status), cancellationToken);
    }

    /// <summary>
    /// Ends the session the way client-go does: resets the streams still open, sends GOAWAY, then closes the
    /// connection. Failures to send are ignored (the peer may be gone).
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        List<SpdyStream> open;
        lock (_gate)
        {
            open = _closedReason is null ? [.. _streams.Values] : [];
        }

        try
        {
            foreach (var stream in open)
            {
                if (stream.MarkResetLocally())
                {
                    Forget(stream);
                    Post(new RstStreamFrame(stream.Id, SpdyRstStatus.Cancel));
                }
            }

            await GoAwayAsync(SpdyGoAwayStatus.Ok, cancellationToken);
        }
        catch (IOException)
        {
            // The connection ended first: nothing left to say.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing anyway below.
        }

        await DisposeAsync();
    }

    /// <summary>Ends the session at once: every stream ends, waiting operations fail, the transport is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            await _completion.Task;
            return;
        }

        Terminate(new ObjectDisposedException(nameof(SpdyConnection), "the SPDY connection was closed"));
        if (!_options.LeaveOpen)
        {
            await _transport.DisposeAsync();
        }

        await Task.WhenAll(_readLoop, _writeLoop);
        _reader.Dispose();
        _writer.Dispose();
        _abort.Dispose();
    }

    /// <summary>Sends a copy of <paramref name="data"/>: a cancelled sender may reuse its buffer while the frame waits.</summary>
    internal Task SendDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken) =>
        SendAsync(new DataFrame(streamId, fin ? SpdyFrameFlags.Fin : (byte)0, data.ToArray()), cancellationToken);

    internal Task SendReplyAsync(uint streamId, SpdyHeaders headers, bool fin, CancellationToken cancellationToken) =>
        SendAsync(new SynReplyFrame(streamId, fin ? SpdyFrameFlags.Fin : (byte)0, headers), cancellationToken);

    internal Task SendResetAsync(uint streamId, SpdyRstStatus status, CancellationToken cancellationToken) =>
        SendAsync(new RstStreamFrame(streamId, status), cancellationToken);

    /// <summary>Forgets a stream once both halves are over.</summary>
    internal void Release(SpdyStream stream)
    {
        if (stream.IsDone)
        {
            Forget(stream);
        }
    }

    private void Forget(SpdyStream stream)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(stream.Id, out var known) && ReferenceEquals(known, stream))
            {
                _streams.Remove(stream.Id);
            }
        }
    }

    /// <summary>A stream given up before its reply: reset so a late SYN_REPLY or data is not kept.</summary>
    private void Abandon(SpdyStream stream)
    {
        if (stream.MarkResetLocally())
        {
            Forget(stream);
            Post(new RstStreamFrame(stream.Id, SpdyRstStatus.Cancel));
        }
    }

    /// <summary>Ends the connection once: streams end, waiters fail, both loops stop.</summary>
    private void Terminate(Exception reason)
    {
        List<SpdyStream> streams;
        List<TaskCompletionSource> pings;
        lock (_gate)
        {
            if (_closedReason is not null)
            {
                return;
            }

            _closedReason = reason;
            streams = [.. _streams.Values];
            pings = [.. _pings.Values];
            _streams.Clear();
            _pings.Clear();
        }

        var failure = Closed();
        _outgoing.Writer.TryComplete();
        _incoming.Writer.TryComplete();
        foreach (var stream in streams)
        {
            stream.OnConnectionEnd(failure);
        }

        foreach (var ping in pings)
        {
            ping.TrySetException(failure);
        }

        _abort.Cancel();
        _completion.TrySetResult();
    }

    private void ThrowIfClosed()
    {
        if (_closedReason is not null)
        {
            throw Closed();
        }
    }

    private IOException Closed()
    {
        var reason = Volatile.Read(ref _closedReason);
        return reason is null or EndOfConnection or ObjectDisposedException
            ? new IOException("the SPDY connection is closed", reason)
            : new IOException($"the SPDY connection failed: {reason.Message}", reason);
    }

    /// <summary>The reason recorded when the peer ended the connection cleanly.</summary>
    private sealed class EndOfConnection() : Exception("the peer closed the SPDY connection");
}
