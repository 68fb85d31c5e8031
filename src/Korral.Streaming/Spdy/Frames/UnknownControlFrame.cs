namespace Korral.Streaming.Spdy.Frames;

/// <summary>A control frame of a type SPDY/3 does not define: skipped, as the specification asks.</summary>
internal sealed record UnknownControlFrame(ushort Type, byte Flags, int Length) : SpdyFrame;
