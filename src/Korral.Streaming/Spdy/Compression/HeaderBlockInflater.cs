using System.Buffers;

namespace Korral.Streaming.Spdy.Compression;

/// <summary>
/// Decompresses the header blocks one side of a connection receives, in order, as one zlib stream. The dictionary is
/// applied when the stream asks for it (FDICT), so a peer compressing without it is read as well. Not thread-safe: the
/// connection's read loop owns it.
/// </summary>
internal sealed unsafe class HeaderBlockInflater : IDisposable
{
    private readonly ZStreamHandle _handle = ZStreamHandle.CreateInflater();
    private readonly int _maxBlockSize;
    private bool _ended;

    /// <param name="maxBlockSize">The largest decompressed block accepted (a bound against decompression bombs).</param>
    public HeaderBlockInflater(int maxBlockSize = 1 << 20)
    {
        _maxBlockSize = maxBlockSize;
    }

    /// <summary>
    /// Decompresses one frame's header block. Throws <see cref="InvalidDataException"/> when the bytes are not a
    /// continuation of the stream, ask for a dictionary other than SPDY's, or decompress to more than the limit.
    /// </summary>
    public byte[] Decompress(ReadOnlySpan<byte> compressed)
    {
        if (_ended)
        {
            throw new InvalidDataException("the peer ended its header compression stream");
        }

        var output = new ArrayBufferWriter<byte>(Math.Max(256, compressed.Length * 4));
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var stream = _handle.Stream;
            fixed (byte* input = compressed)
            {
                stream->NextIn = input;
                stream->AvailIn = (uint)compressed.Length;
                try
                {
                    Run(stream, output);
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

        return output.WrittenSpan.ToArray();
    }

    public void Dispose() => _handle.Dispose();

    private void Run(ZStream* stream, ArrayBufferWriter<byte> output)
    {
        while (true)
        {
            if (output.WrittenCount > _maxBlockSize)
            {
                throw new InvalidDataException($"a header block decompresses to more than {_maxBlockSize} bytes");
            }

            var span = output.GetSpan(256);
            int rc;
            uint left;
            fixed (byte* destination = span)
            {
                stream->NextOut = destination;
                stream->AvailOut = (uint)span.Length;
                rc = ZLibNative.Inflate(stream, ZLibNative.SyncFlush);
                left = stream->AvailOut;
                stream->NextOut = null;
                stream->AvailOut = 0;
            }

            output.Advance(span.Length - (int)left);
            switch (rc)
            {
                case ZLibNative.NeedDictionary:
                    SetDictionary(stream);
                    continue;
                case ZLibNative.StreamEnd:
                    _ended = true;
                    return;
                case ZLibNative.Ok or ZLibNative.BufferError:
                    // Done once all input is taken and zlib had room to spare: everything decodable was delivered.
                    if (stream->AvailIn == 0 && left != 0)
                    {
                        return;
                    }

                    if (rc == ZLibNative.BufferError && left != 0)
                    {
                        throw new InvalidDataException("zlib made no progress on a header block");
                    }

                    continue;
                default:
                    throw new InvalidDataException($"a header block is not valid zlib data ({rc})");
            }
        }
    }

    private static void SetDictionary(ZStream* stream)
    {
        int rc;
        fixed (byte* dictionary = SpdyDictionary.Bytes)
        {
            rc = ZLibNative.InflateSetDictionary(stream, dictionary, (uint)SpdyDictionary.Bytes.Length);
        }

        if (rc != ZLibNative.Ok)
        {
            throw new InvalidDataException($"the header compression stream wants a dictionary other than SPDY's ({rc})");
        }
    }
}
