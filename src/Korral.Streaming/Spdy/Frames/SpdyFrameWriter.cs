using System.Buffers;
using System.Buffers.Binary;
using Korral.Streaming.Spdy.Compression;

namespace Korral.Streaming.Spdy.Frames;

/// <summary>
/// Serialises frames as Go's framer does (version 3, header blocks through one compression stream). Frames must be
/// serialised in the order they go on the wire; not thread-safe.
/// </summary>
internal sealed class SpdyFrameWriter : IDisposable
{
    public const int MaxDataLength = 0xFFFFFF;
    private const ushort Version = 3;

    private readonly HeaderBlockDeflater _deflater = new();
    private readonly ArrayBufferWriter<byte> _block = new(256);

    public void Write(SpdyFrame frame, IBufferWriter<byte> output)
    {
        switch (frame)
        {
            case DataFrame data:
                WriteData(data, output);
                break;
            case SynStreamFrame syn:
                // Ids are checked before compressing: a refused frame must not advance the compression stream.
                var id = StreamId(syn.StreamId);
                var block = Compress(syn.Headers);
                var head = ControlHeader(output, ControlFrameType.SynStream, syn.Flags, 10 + block.Length);
                BinaryPrimitives.WriteUInt32BigEndian(head, id);
                BinaryPrimitives.WriteUInt32BigEndian(head[4..], syn.AssociatedStreamId & 0x7FFFFFFF);
                head[8] = (byte)(syn.Priority << 5);
                head[9] = syn.Slot;
                block.CopyTo(head[10..]);
                output.Advance(18 + block.Length);
                break;
            case SynReplyFrame reply:
                WriteStreamHeaders(output, ControlFrameType.SynReply, reply.StreamId, reply.Flags, reply.Headers);
                break;
            case HeadersFrame headers:
                WriteStreamHeaders(output, ControlFrameType.Headers, headers.StreamId, headers.Flags, headers.Headers);
                break;
            case RstStreamFrame rst:
                WriteTwoWords(output, ControlFrameType.RstStream, StreamId(rst.StreamId), (uint)rst.Status);
                break;
            case SettingsFrame settings:
                var body = ControlHeader(output, ControlFrameType.Settings, settings.Flags, 4 + (8 * settings.Settings.Count));
                BinaryPrimitives.WriteUInt32BigEndian(body, (uint)settings.Settings.Count);
                for (var i = 0; i < settings.Settings.Count; i++)
                {
                    var setting = settings.Settings[i];
                    BinaryPrimitives.WriteUInt32BigEndian(body[(4 + (8 * i))..], ((uint)setting.Flags << 24) | (setting.Id & 0xFFFFFF));
                    BinaryPrimitives.WriteUInt32BigEndian(body[(8 + (8 * i))..], setting.Value);
                }

                output.Advance(12 + (8 * settings.Settings.Count));
                break;
            case PingFrame ping:
                BinaryPrimitives.WriteUInt32BigEndian(ControlHeader(output, ControlFrameType.Ping, 0, 4), ping.Id);
                output.Advance(12);
                break;
            case GoAwayFrame goAway:
                WriteTwoWords(output, ControlFrameType.GoAway, goAway.LastGoodStreamId & 0x7FFFFFFF, (uint)goAway.Status);
                break;
            case WindowUpdateFrame window:
                WriteTwoWords(output, ControlFrameType.WindowUpdate, StreamId(window.StreamId), window.DeltaWindowSize & 0x7FFFFFFF);
                break;
            default:
                throw new ArgumentException($"cannot write {frame.GetType().Name}", nameof(frame));
        }
    }

    public void Dispose() => _deflater.Dispose();

    private static void WriteData(DataFrame data, IBufferWriter<byte> output)
    {
        if (data.Data.Length > MaxDataLength)
        {
            throw new ArgumentException("a data frame carries at most 2^24-1 bytes", nameof(data));
        }

        var span = output.GetSpan(8 + data.Data.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span, StreamId(data.StreamId));
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ((uint)data.Flags << 24) | (uint)data.Data.Length);
        data.Data.Span.CopyTo(span[8..]);
        output.Advance(8 + data.Data.Length);
    }

    private static uint StreamId(uint id) =>
        id is 0 or > 0x7FFFFFFF ? throw new ArgumentOutOfRangeException(nameof(id), id, "stream ids are 1 to 2^31-1") : id;

    /// <summary>Writes the 8-byte control header and returns the span for the payload (not yet advanced past).</summary>
    private static Span<byte> ControlHeader(IBufferWriter<byte> output, ControlFrameType type, byte flags, int length)
    {
        var span = output.GetSpan(8 + length);
        BinaryPrimitives.WriteUInt16BigEndian(span, 0x8000 | Version);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)type);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ((uint)flags << 24) | (uint)length);
        return span.Slice(8, length);
    }

    private static void WriteTwoWords(IBufferWriter<byte> output, ControlFrameType type, uint first, uint second)
    {
        var body = ControlHeader(output, type, 0, 8);
        BinaryPrimitives.WriteUInt32BigEndian(body, first);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], second);
        output.Advance(16);
    }

    private void WriteStreamHeaders(IBufferWriter<byte> output, ControlFrameType type, uint streamId, byte flags, SpdyHeaders headers)
    {
        var id = StreamId(streamId);
        var block = Compress(headers);
        var body = ControlHeader(output, type, flags, 4 + block.Length);
        BinaryPrimitives.WriteUInt32BigEndian(body, id);
        block.CopyTo(body[4..]);
        output.Advance(12 + block.Length);
    }

    private ReadOnlySpan<byte> Compress(SpdyHeaders headers)
    {
        _block.ResetWrittenCount();
        _deflater.Compress(HeaderBlock.Encode(headers), _block);
        return _block.WrittenSpan;
    }
}
