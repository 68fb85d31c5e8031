namespace Korral.Streaming.Spdy;

/// <summary>Tuning of a <see cref="SpdyConnection"/>; the defaults suit the Kubernetes streaming protocols.</summary>
public sealed record SpdyConnectionOptions
{
    public static SpdyConnectionOptions Default { get; } = new();

    /// <summary>How long <see cref="SpdyConnection.OpenStreamAsync"/> waits for SYN_REPLY (client-go: 30 s).</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes a stream buffers for its reader before the connection stops reading (see SpdyStream.ReadAsync).</summary>
    public int StreamBufferSize { get; init; } = 1024 * 1024;

    /// <summary>The largest DATA frame sent; longer writes are split (a frame holds the connection's writer).</summary>
    public int MaxDataFrameSize { get; init; } = 32 * 1024;

    /// <summary>Whether disposing the connection leaves the transport open (it must then honour cancellation of reads).</summary>
    public bool LeaveOpen { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
