namespace Korral.Streaming.Spdy.Frames;

/// <summary>Frame flags: FIN on data, SYN_STREAM, SYN_REPLY and HEADERS; UNIDIRECTIONAL on SYN_STREAM.</summary>
internal static class SpdyFrameFlags
{
    public const byte Fin = 0x01;
    public const byte Unidirectional = 0x02;
}
