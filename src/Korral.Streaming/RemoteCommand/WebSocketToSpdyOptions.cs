using Korral.Streaming.Spdy;

namespace Korral.Streaming.RemoteCommand;

/// <summary>Tuning of <see cref="WebSocketToSpdySession"/> (tests shorten the waits).</summary>
internal sealed record WebSocketToSpdyOptions
{
    public static WebSocketToSpdyOptions Default { get; } = new();

    public SpdyConnectionOptions Spdy { get; init; } = SpdyConnectionOptions.Default;

    /// <summary>How long the client has to answer the closing handshake before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most of the error stream kept (a Status is a few hundred bytes).</summary>
    public int MaxStatusSize { get; init; } = 64 * 1024;
}
