using System.Buffers;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Spdy;

/// <summary>The write loop: the only user of the transport's write side and of the header compressor.</summary>
public sealed partial class SpdyConnection
{
    private const int MaxBatchBytes = 256 * 1024;

    /// <summary>Queues a frame without waiting (the read loop's echoes and resets, SYN_STREAM under the lock).</summary>
    private void Post(SpdyFrame frame)
    {
        var item = new OutgoingFrame(frame);
        item.Done.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _outgoing.Writer.TryWrite(item);
    }

    /// <summary>
    /// Queues a frame and waits until it is written. Cancelling before the writer takes the frame withdraws it; after,
    /// it still goes out (frames own their bytes, so the caller is free to go either way).
    /// </summary>
    private async Task SendAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        var item = new OutgoingFrame(frame);
        if (!_outgoing.Writer.TryWrite(item))
        {
            throw Closed();
        }

        using (cancellationToken.UnsafeRegister(static (state, token) => ((OutgoingFrame)state!).TryAbandon(token), item))
        {
            await item.Done.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var batch = new List<OutgoingFrame>();
        Exception? failure = null;
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(_abort.Token))
            {
                // Whatever is queued goes out in one write: fewer syscalls and TLS records for small frames.
                while (buffer.WrittenCount < MaxBatchBytes && _outgoing.Reader.TryRead(out var item))
                {
                    if (item.TryTake())
                    {
                        batch.Add(item);
                        _writer.Write(item.Frame, buffer);
                    }
                }

                if (buffer.WrittenCount > 0)
                {
                    await _transport.WriteAsync(buffer.WrittenMemory, _abort.Token);
                    await _transport.FlushAsync(_abort.Token);
                }

                foreach (var item in batch)
                {
                    item.Done.TrySetResult();
                }

                batch.Clear();
                buffer.ResetWrittenCount();
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Disposed or the read side ended: the reason is already recorded.
        }
        catch (Exception e)
        {
            failure = e;
        }

        Terminate(failure ?? new EndOfConnection());
        var closed = Closed();
        foreach (var item in batch)
        {
            item.Done.TrySetException(closed);
        }

        while (_outgoing.Reader.TryRead(out var left))
        {
            if (left.TryTake())
            {
                left.Done.TrySetException(closed);
            }
        }
    }
}
