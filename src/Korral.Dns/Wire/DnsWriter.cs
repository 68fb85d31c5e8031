using System.Buffers.Binary;
using System.Text;

namespace Korral.Dns.Wire;

/// <summary>
/// Writes wire format into a buffer of at most <see cref="Limit"/> bytes, compressing names against the suffixes already
/// written (RFC 1035 §4.1.4). A record that does not fit is undone with <see cref="Mark"/>/<see cref="Rewind"/>, which
/// also forgets the compression targets written after the mark.
/// </summary>
internal sealed class DnsWriter
{
    private const int MaxPointerOffset = 0x3FFF;

    private byte[] _buffer;
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<(string Suffix, int Offset)> _added = [];

    public DnsWriter(int limit)
    {
        Limit = limit;
        // Most answers are a few hundred bytes: start small and grow towards the limit (64 KiB over TCP) only when needed.
        _buffer = new byte[Math.Min(limit, 512)];
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Limit { get; }

    public int Position { get; private set; }

    /// <summary>True once a write did not fit; everything after the last mark must then be rewound.</summary>
    public bool Overflowed { get; private set; }

    public int Mark() => Position;

    public void Rewind(int mark)
    {
        Position = mark;
        Overflowed = false;
        for (var i = _added.Count - 1; i >= 0 && _added[i].Offset >= mark; i--)
        {
            _names.Remove(_added[i].Suffix);
            _added.RemoveAt(i);
        }
    }

    public void WriteByte(byte value)
    {
        if (Reserve(1) is { } at)
        {
            _buffer[at] = value;
        }
    }

    public void WriteUInt16(ushort value)
    {
        if (Reserve(2) is { } at)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), value);
        }
    }

    public void WriteUInt16At(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset), value);

    public void WriteUInt32(uint value)
    {
        if (Reserve(4) is { } at)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at), value);
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (Reserve(bytes.Length) is { } at)
        {
            bytes.CopyTo(_buffer.AsSpan(at));
        }
    }

    public void WriteCharacterString(string value)
    {
        var length = Encoding.Latin1.GetByteCount(value);
        if (length > 255)
        {
            throw new ArgumentException($"character-string of {length} bytes is longer than 255", nameof(value));
        }

        WriteByte((byte)length);
        if (Reserve(length) is { } at)
        {
            Encoding.Latin1.GetBytes(value, _buffer.AsSpan(at, length));
        }
    }

    /// <summary>
    /// Writes a name in presentation form (escapes <c>\.</c>, <c>\\</c>, <c>\DDD</c>; a final dot is optional),
    /// pointing at an earlier copy of its longest known suffix when <paramref name="compress"/> allows.
    /// </summary>
    public void WriteName(string name, bool compress = true)
    {
        if (name is "" or ".")
        {
            WriteByte(0);
            return;
        }

        name = WithoutFinalDot(name);
        var wireLength = 1;
        var i = 0;
        Span<byte> label = stackalloc byte[63];
        while (i < name.Length)
        {
            if (compress && _lookup.TryGetValue(name.AsSpan(i), out var pointer))
            {
                WriteUInt16((ushort)(0xC000 | pointer));
                return;
            }

            var start = i;
            var length = ParseLabel(name, ref i, label);
            wireLength += length + 1;
            if (wireLength > DnsReader.MaxNameLength)
            {
                throw new ArgumentException($"name \"{name}\" is longer than {DnsReader.MaxNameLength} bytes", nameof(name));
            }

            var offset = Position;
            WriteByte((byte)length);
            WriteBytes(label[..length]);
            if (!Overflowed && offset <= MaxPointerOffset)
            {
                var suffix = name[start..];
                if (_names.TryAdd(suffix, offset))
                {
                    _added.Add((suffix, offset));
                }
            }
        }

        WriteByte(0);
    }

    /// <summary>"a.b." → "a.b", but "a\." keeps its escaped dot.</summary>
    internal static string WithoutFinalDot(string name)
    {
        if (!name.EndsWith('.'))
        {
            return name;
        }

        var backslashes = 0;
        for (var j = name.Length - 2; j >= 0 && name[j] == '\\'; j--)
        {
            backslashes++;
        }

        return backslashes % 2 == 0 ? name[..^1] : name;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Position).ToArray();

    /// <summary>Reads one label starting at <paramref name="i"/> up to the next unescaped dot, which it steps over.</summary>
    private static int ParseLabel(string name, ref int i, Span<byte> label)
    {
        var length = 0;
        Span<byte> utf8 = stackalloc byte[4];
        while (i < name.Length && name[i] != '.')
        {
            int b = name[i++];
            var rawByte = false;
            if (b == '\\')
            {
                if (i >= name.Length)
                {
                    throw new ArgumentException($"name \"{name}\" ends with a lone backslash", nameof(name));
                }

                if (i + 2 < name.Length && char.IsAsciiDigit(name[i]) && char.IsAsciiDigit(name[i + 1]) && char.IsAsciiDigit(name[i + 2]))
                {
                    b = ((name[i] - '0') * 100) + ((name[i + 1] - '0') * 10) + (name[i + 2] - '0');
                    if (b > 255)
                    {
                        throw new ArgumentException($"escape \\{name.AsSpan(i, 3)} in \"{name}\" is not a byte", nameof(name));
                    }

                    i += 3;
                    rawByte = true;
                }
                else
                {
                    b = name[i++];
                }
            }

            if (b > 0x7F && !rawByte)
            {
                // Only validated names reach the writer; a non-ASCII character is written as its UTF-8 bytes.
                var count = Encoding.UTF8.GetBytes(name.AsSpan(i - 1, 1), utf8);
                foreach (var u in utf8[..count])
                {
                    Append(label, ref length, u, name);
                }

                continue;
            }

            Append(label, ref length, (byte)b, name);
        }

        if (length == 0)
        {
            throw new ArgumentException($"name \"{name}\" has an empty label", nameof(name));
        }

        if (i < name.Length)
        {
            i++; // the dot
        }

        return length;
    }

    private static void Append(Span<byte> label, ref int length, byte b, string name)
    {
        if (length == label.Length)
        {
            throw new ArgumentException($"name \"{name}\" has a label longer than 63 bytes", nameof(name));
        }

        label[length++] = b;
    }

    private int? Reserve(int count)
    {
        if (Overflowed || Position + count > Limit)
        {
            Overflowed = true;
            return null;
        }

        if (Position + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(Limit, Math.Max(_buffer.Length * 2, Position + count)));
        }

        var at = Position;
        Position += count;
        return at;
    }
}
