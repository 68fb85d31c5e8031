namespace Korral.Streaming.Spdy.Frames;

/// <summary>DATA: bytes of a stream (at most 2^24-1 per frame); FIN ends the sender's side of the stream.</summary>
internal sealed record DataFrame(uint StreamId, byte Flags, ReadOnlyMemory<byte> Data) : SpdyFrame
{
    public bool Fin => (Flags & SpdyFrameFlags.Fin) != 0;
}
