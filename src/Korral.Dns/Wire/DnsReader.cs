using System.Buffers.Binary;
using System.Text;

namespace Korral.Dns.Wire;

/// <summary>
/// Reads wire format from one message. Every read checks the bounds and throws <see cref="DnsFormatException"/>; names
/// follow compression pointers only backwards, at most <see cref="MaxPointerHops"/> times, and stop at 255 bytes, so
/// no input can make a read loop or run away.
/// </summary>
internal ref struct DnsReader(ReadOnlySpan<byte> message)
{
    public const int MaxNameLength = 255;
    public const int MaxPointerHops = 127;

    private readonly ReadOnlySpan<byte> _message = message;

    public int Position { get; set; }

    public readonly int Remaining => _message.Length - Position;

    public byte ReadByte()
    {
        Need(1);
        return _message[Position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var bytes = _message.Slice(Position, count);
        Position += count;
        return bytes;
    }

    /// <summary>A domain name in presentation form without the final dot; "" for the root.</summary>
    public string ReadName()
    {
        Span<char> text = stackalloc char[MaxNameLength * 4];
        var written = 0;
        var wireLength = 0;
        var hops = 0;
        var at = Position;
        var resumeAt = -1;
        while (true)
        {
            if (at >= _message.Length)
            {
                throw new DnsFormatException($"name runs past the end of the message at offset {at}");
            }

            var length = _message[at];
            switch (length & 0xC0)
            {
                case 0x00:
                    break;
                case 0xC0:
                    if (at + 1 >= _message.Length)
                    {
                        throw new DnsFormatException($"compression pointer cut short at offset {at}");
                    }

                    var target = ((length & 0x3F) << 8) | _message[at + 1];
                    // Only backwards: a pointer always lands before itself, so chains of pointers end; the hop cap and the
                    // length limit end loops that go through labels.
                    if (target >= at)
                    {
                        throw new DnsFormatException($"compression pointer at offset {at} points forward to {target}");
                    }

                    if (++hops > MaxPointerHops)
                    {
                        throw new DnsFormatException("too many compression pointers in one name");
                    }

                    if (resumeAt < 0)
                    {
                        resumeAt = at + 2;
                    }

                    at = target;
                    continue;
                default:
                    throw new DnsFormatException($"label type 0x{length & 0xC0:x2} at offset {at} is not supported");
            }

            if (length == 0)
            {
                Position = resumeAt >= 0 ? resumeAt : at + 1;
                return written == 0 ? "" : new string(text[..(written - 1)]);
            }

            wireLength += length + 1;
            if (wireLength + 1 > MaxNameLength)
            {
                throw new DnsFormatException($"name longer than {MaxNameLength} bytes");
            }

            if (at + 1 + length > _message.Length)
            {
                throw new DnsFormatException($"label at offset {at} runs past the end of the message");
            }

            foreach (var b in _message.Slice(at + 1, length))
            {
                written += Escape(b, text[written..]);
            }

            text[written++] = '.';
            at += 1 + length;
        }
    }

    /// <summary>A character-string (RFC 1035 §3.3): a length byte and that many bytes, as Latin-1.</summary>
    public string ReadCharacterString()
    {
        var length = ReadByte();
        return Encoding.Latin1.GetString(ReadBytes(length));
    }

    private readonly void Need(int count)
    {
        if (count < 0 || Position + count > _message.Length)
        {
            throw new DnsFormatException($"message cut short: {count} bytes needed at offset {Position} of {_message.Length}");
        }
    }

    private static int Escape(byte b, Span<char> into)
    {
        if (b is (byte)'.' or (byte)'\\')
        {
            into[0] = '\\';
            into[1] = (char)b;
            return 2;
        }

        if (b is < 0x21 or > 0x7E)
        {
            into[0] = '\\';
            into[1] = (char)('0' + (b / 100));
            into[2] = (char)('0' + (b / 10 % 10));
            into[3] = (char)('0' + (b % 10));
            return 4;
        }

        into[0] = (char)b;
        return 1;
    }
}
