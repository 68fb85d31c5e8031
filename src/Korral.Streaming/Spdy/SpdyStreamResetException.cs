namespace Korral.Streaming.Spdy;

/// <summary>An operation on a stream the peer reset (RST_STREAM), or one refused by the peer's GOAWAY.</summary>
public sealed class SpdyStreamResetException : IOException
{
    public SpdyStreamResetException(uint streamId, SpdyRstStatus status)
        : base($"SPDY stream {streamId} was reset by the peer ({status})")
    {
        StreamId = streamId;
        Status = status;
    }

    public uint StreamId { get; }

    public SpdyRstStatus Status { get; }
}
