using System.Buffers;

namespace Korral.Streaming.Spdy.Compression;

/// <summary>
/// Compresses the header blocks one side of a connection sends: a single zlib stream for the whole connection, preset
/// with the SPDY dictionary (as Go's framer does, at best compression), each block ending with a sync flush so the peer
/// can decode it on its own. Not thread-safe: the connection's single writer owns it.
/// </summary>
internal sealed unsafe class HeaderBlockDeflater : IDisposable
{
    private readonly ZStreamHandle _handle;

    public HeaderBlockDeflater()
    {
        _handle = ZStreamHandle.CreateDeflater(ZLibNative.BestCompression);
        try
        {
            int rc;
            fixed (byte* dictionary = SpdyDictionary.Bytes)
            {
                rc = ZLibNative.DeflateSetDictionary(_handle.Stream, dictionary, (uint)SpdyDictionary.Bytes.Length);
            }

            if (rc != ZLibNative.Ok)
            {
                throw new InvalidOperationException($"zlib deflateSetDictionary failed ({rc}).");
            }
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>Appends the compressed form of <paramref name="block"/> to <paramref name="output"/>.</summary>
    public void Compress(ReadOnlySpan<byte> block, IBufferWriter<byte> output)
    {
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var stream = _handle.Stream;
            fixed (byte* input = block)
            {
                stream->NextIn = input;
                stream->AvailIn = (uint)block.Length;
                try
                {
                    // With a sync flush, deflate is called again while it fills the whole output space.
                    uint left;
                    do
                    {
                        var span = output.GetSpan(block.Length + 64);
                        int rc;
                        fixed (byte* destination = span)
                        {
                            stream->NextOut = destination;
                            stream->AvailOut = (uint)span.Length;
                            rc = ZLibNative.Deflate(stream, ZLibNative.SyncFlush);
                            left = stream->AvailOut;
                            stream->NextOut = null;
                            stream->AvailOut = 0;
                        }

                        if (rc != ZLibNative.Ok && rc != ZLibNative.BufferError)
                        {
                            throw new InvalidOperationException($"zlib deflate failed ({rc}).");
                        }

                        output.Advance(span.Length - (int)left);
                    }
                    while (left == 0);
                }
                finally
                {
                    stream->NextIn = null;
                    stream->AvailIn = 0;
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
