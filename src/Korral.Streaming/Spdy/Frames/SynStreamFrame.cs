namespace Korral.Streaming.Spdy.Frames;

/// <summary>SYN_STREAM: opens a stream (priority 0-7, slot unused by Go).</summary>
internal sealed record SynStreamFrame(uint StreamId, uint AssociatedStreamId, byte Priority, byte Slot, byte Flags, SpdyHeaders Headers)
    : SpdyFrame
{
    public bool Fin => (Flags & SpdyFrameFlags.Fin) != 0;

    public bool Unidirectional => (Flags & SpdyFrameFlags.Unidirectional) != 0;
}
