namespace Korral.Streaming.Spdy.Frames;

/// <summary>GOAWAY: the sender accepts no new streams after <see cref="LastGoodStreamId"/>.</summary>
internal sealed record GoAwayFrame(uint LastGoodStreamId, SpdyGoAwayStatus Status) : SpdyFrame;
