namespace Korral.Streaming.Spdy.Frames;

/// <summary>SYN_REPLY: accepts a stream the peer opened.</summary>
internal sealed record SynReplyFrame(uint StreamId, byte Flags, SpdyHeaders Headers) : SpdyFrame
{
    public bool Fin => (Flags & SpdyFrameFlags.Fin) != 0;
}
