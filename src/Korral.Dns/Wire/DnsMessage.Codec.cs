using System.Net;

namespace Korral.Dns.Wire;

public sealed partial class DnsMessage
{
    private const int HeaderSize = 12;
    private const int OptFixedSize = 11;

    /// <summary>Reads a message; throws <see cref="DnsFormatException"/> (and nothing else) for anything that is not one.</summary>
    public static DnsMessage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            throw new DnsFormatException($"message of {data.Length} bytes is shorter than the {HeaderSize}-byte header");
        }

        var reader = new DnsReader(data);
        var message = new DnsMessage { Id = reader.ReadUInt16() };
        var flags = reader.ReadUInt16();
        message.IsResponse = (flags & 0x8000) != 0;
        message.Opcode = (DnsOpcode)((flags >> 11) & 0xF);
        message.AuthoritativeAnswer = (flags & 0x0400) != 0;
        message.Truncated = (flags & 0x0200) != 0;
        message.RecursionDesired = (flags & 0x0100) != 0;
        message.RecursionAvailable = (flags & 0x0080) != 0;
        message.AuthenticData = (flags & 0x0020) != 0;
        message.CheckingDisabled = (flags & 0x0010) != 0;
        var rcode = flags & 0xF;
        int questions = reader.ReadUInt16(), answers = reader.ReadUInt16(), authorities = reader.ReadUInt16(), additionals = reader.ReadUInt16();

        for (var i = 0; i < questions; i++)
        {
            message.Questions.Add(new DnsQuestion(reader.ReadName(), (DnsType)reader.ReadUInt16(), (DnsClass)reader.ReadUInt16()));
        }

        EdnsOptions? edns = null;
        var extendedRcode = 0;
        ReadSection(ref reader, answers, message.Answers, optAllowed: false, ref edns, ref extendedRcode);
        ReadSection(ref reader, authorities, message.Authorities, optAllowed: false, ref edns, ref extendedRcode);
        ReadSection(ref reader, additionals, message.Additionals, optAllowed: true, ref edns, ref extendedRcode);
        message.Edns = edns;
        message.Rcode = (DnsRcode)(rcode | (extendedRcode << 4));
        return message;
    }

    /// <summary>
    /// Writes the message in at most <paramref name="maxSize"/> bytes (clamped to 512…65535). Additional records that do
    /// not fit are left out; answer or authority records that do not fit are left out and the TC bit is set (RFC 2181
    /// §9), so that the client asks again over TCP. The OPT record is always kept.
    /// </summary>
    public byte[] Encode(int maxSize = MaxSize)
    {
        maxSize = Math.Clamp(maxSize, MinUdpSize, MaxSize);
        if ((ushort)Rcode > 0xF && Edns is null)
        {
            throw new InvalidOperationException($"rcode {Rcode} needs an OPT record");
        }

        var optSize = Edns is null ? 0 : OptFixedSize + Edns.Options.Sum(o => 4 + o.Value.Length);
        var writer = new DnsWriter(maxSize);
        writer.WriteBytes(stackalloc byte[HeaderSize]);
        var truncated = Truncated;
        var counts = new ushort[4];
        foreach (var question in Questions)
        {
            var mark = writer.Mark();
            writer.WriteName(question.Name);
            writer.WriteUInt16((ushort)question.Type);
            writer.WriteUInt16((ushort)question.Class);
            if (writer.Overflowed || writer.Position > maxSize - optSize)
            {
                writer.Rewind(mark);
                truncated = true;
                break;
            }

            counts[0]++;
        }

        var full = truncated;
        counts[1] = full ? (ushort)0 : WriteSection(writer, Answers, maxSize - optSize, ref full);
        counts[2] = full ? (ushort)0 : WriteSection(writer, Authorities, maxSize - optSize, ref full);
        truncated |= full;
        var ignored = false;
        counts[3] = truncated ? (ushort)0 : WriteSection(writer, Additionals, maxSize - optSize, ref ignored);

        if (Edns is { } edns)
        {
            writer.WriteByte(0);
            writer.WriteUInt16((ushort)DnsType.OPT);
            writer.WriteUInt16(edns.UdpPayloadSize);
            writer.WriteUInt32(((uint)((ushort)Rcode >> 4) << 24) | ((uint)edns.Version << 16) | (edns.DnssecOk ? 0x8000u : 0));
            writer.WriteUInt16((ushort)(optSize - OptFixedSize));
            foreach (var (code, data) in edns.Options)
            {
                writer.WriteUInt16(code);
                writer.WriteUInt16((ushort)data.Length);
                writer.WriteBytes(data);
            }

            counts[3]++;
        }

        var flags = (IsResponse ? 0x8000 : 0) | (((int)Opcode & 0xF) << 11) | (AuthoritativeAnswer ? 0x0400 : 0) | (truncated ? 0x0200 : 0)
            | (RecursionDesired ? 0x0100 : 0) | (RecursionAvailable ? 0x0080 : 0) | (AuthenticData ? 0x0020 : 0) | (CheckingDisabled ? 0x0010 : 0)
            | ((ushort)Rcode & 0xF);
        writer.WriteUInt16At(0, Id);
        writer.WriteUInt16At(2, (ushort)flags);
        for (var i = 0; i < 4; i++)
        {
            writer.WriteUInt16At(4 + (2 * i), counts[i]);
        }

        return writer.ToArray();
    }

    private static void ReadSection(ref DnsReader reader, int count, List<DnsRecord> into, bool optAllowed, ref EdnsOptions? edns, ref int extendedRcode)
    {
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadName();
            var type = (DnsType)reader.ReadUInt16();
            var @class = reader.ReadUInt16();
            var ttl = reader.ReadUInt32();
            var length = reader.ReadUInt16();
            if (length > reader.Remaining)
            {
                throw new DnsFormatException($"record data of {length} bytes runs past the end of the message");
            }

            var end = reader.Position + length;
            if (type == DnsType.OPT)
            {
                if (!optAllowed || name.Length != 0 || edns is not null)
                {
                    throw new DnsFormatException("OPT record outside the additional section, not at the root, or more than one");
                }

                var options = new List<KeyValuePair<ushort, byte[]>>();
                while (reader.Position < end)
                {
                    var code = reader.ReadUInt16();
                    var size = reader.ReadUInt16();
                    if (reader.Position + size > end)
                    {
                        throw new DnsFormatException("EDNS option runs past its record");
                    }

                    options.Add(new(code, reader.ReadBytes(size).ToArray()));
                }

                extendedRcode = (int)(ttl >> 24);
                edns = new EdnsOptions(@class, (byte)(ttl >> 16), (ttl & 0x8000) != 0) { Options = options };
                continue;
            }

            var data = ReadData(ref reader, type, length, end);
            if (reader.Position != end)
            {
                throw new DnsFormatException($"{type} record data is {length} bytes but its fields take {reader.Position - (end - length)}");
            }

            into.Add(new DnsRecord(name, type, (DnsClass)@class, ttl, data));
        }
    }

    private static DnsRecordData ReadData(ref DnsReader reader, DnsType type, int length, int end)
    {
        switch (type)
        {
            case DnsType.A when length == 4:
            case DnsType.AAAA when length == 16:
                return new AddressData(new IPAddress(reader.ReadBytes(length)));
            case DnsType.A or DnsType.AAAA:
                throw new DnsFormatException($"{type} record data of {length} bytes");
            case DnsType.NS or DnsType.CNAME or DnsType.PTR:
                return new NameData(reader.ReadName());
            case DnsType.SRV:
                return new SrvData(reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadName());
            case DnsType.SOA:
                return new SoaData(reader.ReadName(), reader.ReadName(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(),
                    reader.ReadUInt32(), reader.ReadUInt32());
            case DnsType.TXT:
                var strings = new List<string>();
                while (reader.Position < end)
                {
                    strings.Add(reader.ReadCharacterString());
                }

                return new TxtData(strings);
            default:
                return new RawData(reader.ReadBytes(length).ToArray());
        }
    }

    private static ushort WriteSection(DnsWriter writer, List<DnsRecord> records, int limit, ref bool full)
    {
        ushort written = 0;
        foreach (var record in records)
        {
            var mark = writer.Mark();
            WriteRecord(writer, record);
            if (writer.Overflowed || writer.Position > limit)
            {
                writer.Rewind(mark);
                full = true;
                break;
            }

            written++;
        }

        return written;
    }

    private static void WriteRecord(DnsWriter writer, DnsRecord record)
    {
        writer.WriteName(record.Name);
        writer.WriteUInt16((ushort)record.Type);
        writer.WriteUInt16((ushort)record.Class);
        writer.WriteUInt32(record.Ttl);
        var lengthAt = writer.Position;
        writer.WriteUInt16(0);
        var start = writer.Position;
        switch (record.Data)
        {
            case AddressData a:
                Span<byte> bytes = stackalloc byte[16];
                a.Address.TryWriteBytes(bytes, out var count);
                if (count != (record.Type == DnsType.AAAA ? 16 : 4))
                {
                    throw new ArgumentException($"{record.Type} record {record.Name} holds address {a.Address}", nameof(record));
                }

                writer.WriteBytes(bytes[..count]);
                break;
            case NameData n:
                writer.WriteName(n.Target);
                break;
            case SrvData s:
                writer.WriteUInt16(s.Priority);
                writer.WriteUInt16(s.Weight);
                writer.WriteUInt16(s.Port);
                writer.WriteName(s.Target, compress: false);
                break;
            case SoaData soa:
                writer.WriteName(soa.PrimaryNameServer);
                writer.WriteName(soa.ResponsibleMailbox);
                writer.WriteUInt32(soa.Serial);
                writer.WriteUInt32(soa.Refresh);
                writer.WriteUInt32(soa.Retry);
                writer.WriteUInt32(soa.Expire);
                writer.WriteUInt32(soa.Minimum);
                break;
            case TxtData t:
                foreach (var s in t.Strings)
                {
                    writer.WriteCharacterString(s);
                }

                break;
            case RawData raw:
                writer.WriteBytes(raw.Bytes);
                break;
        }

        if (!writer.Overflowed)
        {
            writer.WriteUInt16At(lengthAt, (ushort)(writer.Position - start));
        }
    }
}
