using System.Buffers.Binary;
using Korral.Streaming.Spdy.Compression;

namespace Korral.Streaming.Spdy.Frames;

/// <summary>
/// Reads frames off a connection, decompressing header blocks in arrival order. Malformed frames throw
/// <see cref="SpdyProtocolException"/>; the connection cannot continue after one (the byte stream or the compression
/// stream has lost its place). Not thread-safe: the connection's read loop owns it.
/// </summary>
internal sealed class SpdyFrameReader : IDisposable
{
    /// <summary>
    /// The largest control frame accepted. Kubernetes' frames are tens of bytes; the protocol allows 16 MiB, a peer
    /// sending that much header is not one of ours.
    /// </summary>
    public const int MaxControlLength = 64 * 1024;

    private const int HeaderLength = 8;

    private readonly Stream _input;
    private readonly HeaderBlockInflater _inflater = new();
    private readonly byte[] _buffer = new byte[HeaderLength + MaxControlLength];
    private int _start;
    private int _end;

    public SpdyFrameReader(Stream input)
    {
        _input = input;
    }

    /// <summary>The next frame, or null when the connection ended cleanly between frames.</summary>
    public async ValueTask<SpdyFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(HeaderLength, atFrameStart: true, cancellationToken))
        {
            return null;
        }

        var head = _buffer.AsSpan(_start, HeaderLength);
        var flags = head[4];
        var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(head[4..]) & 0xFFFFFF);
        if ((head[0] & 0x80) == 0)
        {
            var streamId = BinaryPrimitives.ReadUInt32BigEndian(head) & 0x7FFFFFFF;
            _start += HeaderLength;
            var data = await ReadPayloadAsync(length, cancellationToken);
            return streamId == 0 ? throw new SpdyProtocolException("a data frame for stream 0") : new DataFrame(streamId, flags, data);
        }

        // The version is not checked, like Go's framer: only SPDY/3 peers get here (the upgrade said SPDY/3.1).
        var type = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
        if (length > MaxControlLength)
        {
            throw new SpdyProtocolException($"a control frame of {length} bytes (type {type}) exceeds {MaxControlLength}");
        }

        _start += HeaderLength;
        await FillAsync(length, atFrameStart: false, cancellationToken);
        var payload = _buffer.AsMemory(_start, length);
        _start += length;
        return ParseControl(type, flags, payload.Span);
    }

    public void Dispose() => _inflater.Dispose();

    private SpdyFrame ParseControl(ushort type, byte flags, ReadOnlySpan<byte> payload)
    {
        switch ((ControlFrameType)type)
        {
            case ControlFrameType.SynStream:
                Expect(type, payload, minimum: 10);
                return new SynStreamFrame(
                    NonZeroStreamId(type, payload),
                    BinaryPrimitives.ReadUInt32BigEndian(payload[4..]) & 0x7FFFFFFF,
                    (byte)(payload[8] >> 5),
                    payload[9],
                    flags,
                    Headers(payload[10..]));
            case ControlFrameType.SynReply:
                Expect(type, payload, minimum: 4);
                return new SynReplyFrame(NonZeroStreamId(type, payload), flags, Headers(payload[4..]));
            case ControlFrameType.Headers:
                Expect(type, payload, minimum: 4);
                return new HeadersFrame(NonZeroStreamId(type, payload), flags, Headers(payload[4..]));
            case ControlFrameType.RstStream:
                Expect(type, payload, minimum: 8, exact: true);
                var status = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
                return status == 0
                    ? throw new SpdyProtocolException("RST_STREAM with status 0")
                    : new RstStreamFrame(NonZeroStreamId(type, payload), (SpdyRstStatus)status);
            case ControlFrameType.Settings:
                return ParseSettings(flags, payload);
            case ControlFrameType.Ping:
                Expect(type, payload, minimum: 4, exact: true);
                return new PingFrame(BinaryPrimitives.ReadUInt32BigEndian(payload));
            case ControlFrameType.GoAway:
                Expect(type, payload, minimum: 8, exact: true);
                return new GoAwayFrame(
                    BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF,
                    (SpdyGoAwayStatus)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]));
            case ControlFrameType.WindowUpdate:
                Expect(type, payload, minimum: 8, exact: true);
                return new WindowUpdateFrame(
                    BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF,
                    BinaryPrimitives.ReadUInt32BigEndian(payload[4..]) & 0x7FFFFFFF);
            default:
                return new UnknownControlFrame(type, flags, payload.Length);
        }
    }

    private static SettingsFrame ParseSettings(byte flags, ReadOnlySpan<byte> payload)
    {
        Expect((ushort)ControlFrameType.Settings, payload, minimum: 4);
        var count = BinaryPrimitives.ReadUInt32BigEndian(payload);
        if ((ulong)payload.Length != 4 + (8UL * count))
        {
            throw new SpdyProtocolException($"SETTINGS of {payload.Length} bytes claims {count} entries");
        }

        var settings = new SpdySetting[count];
        for (var i = 0; i < count; i++)
        {
            var idWord = BinaryPrimitives.ReadUInt32BigEndian(payload[(4 + (8 * i))..]);
            settings[i] = new((byte)(idWord >> 24), idWord & 0xFFFFFF, BinaryPrimitives.ReadUInt32BigEndian(payload[(8 + (8 * i))..]));
        }

        return new SettingsFrame(flags, settings);
    }

    private static void Expect(ushort type, ReadOnlySpan<byte> payload, int minimum, bool exact = false)
    {
        if (payload.Length < minimum || (exact && payload.Length != minimum))
        {
            throw new SpdyProtocolException($"control frame type {type} has a payload of {payload.Length} bytes");
        }
    }

    private static uint NonZeroStreamId(ushort type, ReadOnlySpan<byte> payload)
    {
        var id = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;
        return id == 0 ? throw new SpdyProtocolException($"control frame type {type} for stream 0") : id;
    }

    private SpdyHeaders Headers(ReadOnlySpan<byte> compressed)
    {
        byte[] block;
        try
        {
            block = _inflater.Decompress(compressed);
        }
        catch (InvalidDataException e)
        {
            throw new SpdyProtocolException($"a header block does not decompress: {e.Message}", e);
        }

        return HeaderBlock.Decode(block);
    }

    /// <summary>Reads a data payload: what is buffered, then the rest straight from the connection.</summary>
    private async ValueTask<byte[]> ReadPayloadAsync(int length, CancellationToken cancellationToken)
    {
        var data = new byte[length];
        var buffered = Math.Min(length, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(data);
        _start += buffered;
        if (buffered < length)
        {
            try
            {
                await _input.ReadExactlyAsync(data.AsMemory(buffered), cancellationToken);
            }
            catch (EndOfStreamException e)
            {
                throw new SpdyProtocolException($"the connection ended inside a data frame of {length} bytes", e);
            }
        }

        return data;
    }

    /// <summary>Makes <paramref name="count"/> bytes available from _start; false on a clean end at a frame boundary.</summary>
    private async ValueTask<bool> FillAsync(int count, bool atFrameStart, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            var n = await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (n == 0)
            {
                if (atFrameStart && _end == 0)
                {
                    return false;
                }

                throw new SpdyProtocolException($"the connection ended inside a frame ({_end} of {count} bytes)");
            }

            _end += n;
        }

        return true;
    }
}
