using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Spdy;

/// <summary>
/// A frame queued for the connection's writer. A sender that gives up before the writer takes the frame abandons it, so
/// it is never sent; once taken, it is written and the sender (if still there) is told.
/// </summary>
internal sealed class OutgoingFrame(SpdyFrame frame)
{
    private const int Pending = 0;
    private const int Taken = 1;
    private const int Abandoned = 2;

    private int _state;

    public SpdyFrame Frame { get; } = frame;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The writer claims the frame; false when its sender gave up first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Pending) == Pending;

    /// <summary>The sender gives up; false when the writer already took the frame.</summary>
    public bool TryAbandon(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Pending) != Pending)
        {
            return false;
        }

        Done.TrySetCanceled(cancellationToken);
        return true;
    }
}
