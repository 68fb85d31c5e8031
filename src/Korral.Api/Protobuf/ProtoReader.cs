using System.Buffers.Binary;

namespace Korral.Api.Protobuf;

/// <summary>Reads protobuf wire format from a span; every malformed input throws <see cref="ProtobufFormatException"/>.</summary>
internal ref struct ProtoReader
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLength = 2;
    public const int WireFixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool End => _pos >= _data.Length;

    public bool TryReadTag(out int number, out int wireType)
    {
        if (End)
        {
            number = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        var n = tag >> 3;
        if (n == 0 || n > 0x1FFF_FFFF)
        {
            throw new ProtobufFormatException($"invalid field number {n} at offset {_pos}");
        }

        number = (int)n;
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_pos >= _data.Length)
            {
                throw new ProtobufFormatException("truncated varint");
            }

            var b = _data[_pos++];
            if (shift == 63 && b > 1)
            {
                throw new ProtobufFormatException("varint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new ProtobufFormatException("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var len = ReadVarint();
        if (len > (ulong)(_data.Length - _pos))
        {
            throw new ProtobufFormatException($"length {len} at offset {_pos} runs past the end of the data ({_data.Length - _pos} bytes left)");
        }

        var span = _data.Slice(_pos, (int)len);
        _pos += (int)len;
        return span;
    }

    public uint ReadFixed32()
    {
        if (_data.Length - _pos < 4)
        {
            throw new ProtobufFormatException("truncated fixed32");
        }

        var v = BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        return v;
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _pos < 8)
        {
            throw new ProtobufFormatException("truncated fixed64");
        }

        var v = BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return v;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case WireVarint: ReadVarint(); break;
            case WireFixed64: ReadFixed64(); break;
            case WireLength: ReadLengthDelimited(); break;
            case WireFixed32: ReadFixed32(); break;
            default: throw new ProtobufFormatException($"unsupported wire type {wireType}");
        }
    }
}
