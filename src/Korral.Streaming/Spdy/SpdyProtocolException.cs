namespace Korral.Streaming.Spdy;

/// <summary>The peer broke SPDY/3.1 framing (a malformed or truncated frame, a header block that does not decode).</summary>
public sealed class SpdyProtocolException : IOException
{
    public SpdyProtocolException(string message)
        : base(message)
    {
    }

    public SpdyProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
