namespace Korral.Streaming.Spdy.Frames;

/// <summary>RST_STREAM: ends a stream abruptly, both directions.</summary>
internal sealed record RstStreamFrame(uint StreamId, SpdyRstStatus Status) : SpdyFrame;
