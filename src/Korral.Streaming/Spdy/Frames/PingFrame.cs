namespace Korral.Streaming.Spdy.Frames;

/// <summary>PING: the receiver echoes ids of the peer's parity (clients odd, servers even) and matches its own.</summary>
internal sealed record PingFrame(uint Id) : SpdyFrame;
