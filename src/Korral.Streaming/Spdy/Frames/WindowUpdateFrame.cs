namespace Korral.Streaming.Spdy.Frames;

/// <summary>WINDOW_UPDATE: spdystream does no flow control and never sends it; read and ignored.</summary>
internal sealed record WindowUpdateFrame(uint StreamId, uint DeltaWindowSize) : SpdyFrame;
