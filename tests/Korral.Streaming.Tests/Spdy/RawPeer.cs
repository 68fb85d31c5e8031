using System.Buffers;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Tests.Spdy;

/// <summary>The far end of a connection driven frame by frame, to see exactly what a SpdyConnection sends and answers.</summary>
internal sealed class RawPeer(Stream stream) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly SpdyFrameReader _reader = new(stream);
    private readonly SpdyFrameWriter _writer = new();

    public async Task<SpdyFrame> ReadAsync()
    {
        var frame = await _reader.ReadFrameAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        return frame ?? throw new EndOfStreamException("the connection ended");
    }

    public async Task<T> ReadAsync<T>()
        where T : SpdyFrame => Assert.IsType<T>(await ReadAsync());

    /// <summary>Null when the connection ended cleanly.</summary>
    public async Task<SpdyFrame?> ReadOrEndAsync() => await _reader.ReadFrameAsync(CancellationToken.None).AsTask().WaitAsync(Patience);

    public async Task SendAsync(params SpdyFrame[] frames)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            _writer.Write(frame, output);
        }

        await stream.WriteAsync(output.WrittenMemory);
    }

    public Task SendRawAsync(string hex) => stream.WriteAsync(Convert.FromHexString(hex)).AsTask();

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
    }
}
