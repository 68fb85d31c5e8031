namespace Korral.Streaming.Spdy.Frames;

/// <summary>HEADERS: more headers for a stream (no Kubernetes protocol sends it, but its block must still be inflated).</summary>
internal sealed record HeadersFrame(uint StreamId, byte Flags, SpdyHeaders Headers) : SpdyFrame
{
    public bool Fin => (Flags & SpdyFrameFlags.Fin) != 0;
}
