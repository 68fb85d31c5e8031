namespace Korral.Streaming.Spdy.Frames;

/// <summary>One SPDY/3 frame, decoded (header blocks decompressed).</summary>
internal abstract record SpdyFrame;
