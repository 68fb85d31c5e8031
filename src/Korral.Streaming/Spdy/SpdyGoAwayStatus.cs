namespace Korral.Streaming.Spdy;

/// <summary>The status codes of GOAWAY (SPDY/3).</summary>
public enum SpdyGoAwayStatus : uint
{
    Ok = 0,
    ProtocolError = 1,
    InternalError = 2,
}
