using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Spdy;

/// <summary>The read loop: frames are dispatched in arrival order, so a stream's data precedes its FIN or reset.</summary>
public sealed partial class SpdyConnection
{
    private async Task ReadLoopAsync()
    {
        Exception reason = new EndOfConnection();
        try
        {
            while (await _reader.ReadFrameAsync(_abort.Token) is { } frame)
            {
                await DispatchAsync(frame);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Disposed, or the writer failed: the reason is already recorded.
        }
        catch (Exception e)
        {
            reason = e;
        }

        Terminate(reason);
    }

    private async ValueTask DispatchAsync(SpdyFrame frame)
    {
        switch (frame)
        {
            case DataFrame data:
                // Frames of unknown or finished streams are dropped, as spdystream does.
                if (Find(data.StreamId) is { } target)
                {
                    await target.AddDataAsync(data.Data, _abort.Token);
                    if (data.Fin)
                    {
                        RemoteFinished(target);
                    }
                }

                break;
            case SynStreamFrame syn:
                OnSynStream(syn);
                break;
            case SynReplyFrame reply:
                if (Find(reply.StreamId) is { IsLocal: true } opened)
                {
                    opened.OnReply(reply.Headers);
                    if (reply.Fin)
                    {
                        RemoteFinished(opened);
                    }
                }

                break;
            case HeadersFrame headers:
                if (headers.Fin && Find(headers.StreamId) is { } finished)
                {
                    RemoteFinished(finished);
                }

                break;
            case RstStreamFrame rst:
                if (Find(rst.StreamId) is { } reset)
                {
                    Forget(reset);
                    reset.OnPeerReset(rst.Status);
                }

                break;
            case PingFrame ping:
                OnPing(ping);
                break;
            case GoAwayFrame goAway:
                OnGoAway(goAway);
                break;
            default:
                // SETTINGS, WINDOW_UPDATE (spdystream has no flow control) and unknown control frames.
                break;
        }
    }

    private SpdyStream? Find(uint id)
    {
        lock (_gate)
        {
            return _streams.GetValueOrDefault(id);
        }
    }

    private void RemoteFinished(SpdyStream stream)
    {
        stream.OnRemoteFin();
        Release(stream);
    }

    private void OnSynStream(SynStreamFrame syn)
    {
        SpdyStream stream;
        lock (_gate)
        {
            // After GOAWAY either way new streams are ignored, as spdystream does.
            if (_goAwaySent || _goAwayReceived)
            {
                return;
            }

            var peerParity = IsServer ? 1u : 0u;
            if (syn.StreamId % 2 != peerParity || syn.StreamId <= _lastPeerStreamId)
            {
                Post(new RstStreamFrame(syn.StreamId, SpdyRstStatus.ProtocolError));
                return;
            }

            _lastPeerStreamId = syn.StreamId;
            if (!IsServer)
            {
                // client-go's clients refuse streams their server opens; so does this one.
                Post(new RstStreamFrame(syn.StreamId, SpdyRstStatus.RefusedStream));
                return;
            }

            stream = new SpdyStream(this, syn.StreamId, syn.Headers, local: false, _options.StreamBufferSize);
            _streams.Add(stream.Id, stream);
        }

        if (syn.Unidirectional)
        {
            stream.MarkLocalFinished();
        }

        if (syn.Fin)
        {
            RemoteFinished(stream);
        }

        _incoming.Writer.TryWrite(stream);
    }

    private void OnPing(PingFrame ping)
    {
        var ours = ping.Id % 2 == (IsServer ? 0u : 1u);
        if (!ours)
        {
            Post(ping);
            return;
        }

        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _pings.GetValueOrDefault(ping.Id);
        }

        waiter?.TrySetResult();
    }

    private void OnGoAway(GoAwayFrame goAway)
    {
        List<SpdyStream> refused;
        lock (_gate)
        {
            _goAwayReceived = true;
            refused = [.. _streams.Values.Where(s => s.IsLocal && s.Id > goAway.LastGoodStreamId && !s.Reply.IsCompleted)];
        }

        // Streams the peer will never answer: their openers fail now instead of at the reply timeout.
        foreach (var stream in refused)
        {
            Forget(stream);
            stream.OnConnectionEnd(new IOException($"the peer sent GOAWAY ({goAway.Status}) before replying to SPDY stream {stream.Id}"));
        }
    }
}
