using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Wire;

/// <summary>
/// Property tests (FsCheck): random bytes, and valid messages with bytes flipped, cut or spliced, only ever decode or
/// throw <see cref="DnsFormatException"/>; a decode that would loop would hang the run (each case is also timed). Valid
/// messages survive encode → decode → encode byte for byte.
/// </summary>
public sealed class DnsDecoderFuzzTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static readonly Gen<string> Label = Gen.Elements("a", "svc", "kubernetes", "default", "cluster", "local", "_http", "_tcp", "x-1", "ns");

    private static readonly Gen<string> Name = Gen.ListOf(Label).Select(l => string.Join('.', l.Take(8)));

    private static readonly Gen<DnsRecord> Record = Gen.OneOf(
        Name.Zip(Gen.Choose(0, 255)).Select(t => DnsRecord.A(t.Item1, 5, new IPAddress([10, 0, 0, (byte)t.Item2]))),
        Name.Zip(Gen.Choose(0, 65535)).Select(t => DnsRecord.Aaaa(t.Item1, 5, IPAddress.Parse($"fd00::{t.Item2:x}"))),
        Name.Zip(Name).Select(t => DnsRecord.Cname(t.Item1, 5, t.Item2)),
        Name.Zip(Name).Select(t => DnsRecord.Ptr(t.Item1, 5, t.Item2)),
        Name.Zip(Name).Select(t => new DnsRecord(t.Item1, DnsType.SRV, DnsClass.IN, 5, new SrvData(0, 100, 80, t.Item2))),
        Name.Select(n => new DnsRecord(n, DnsType.SOA, DnsClass.IN, 5, new SoaData("ns.dns." + n, "hostmaster", 1, 2, 3, 4, 5))),
        Name.Select(n => new DnsRecord(n, DnsType.TXT, DnsClass.IN, 5, new TxtData(["1.1.0", n]))));

    private static readonly Gen<DnsMessage> Message =
        from name in Name
        from answers in Gen.ListOf(Record)
        from additionals in Gen.ListOf(Record)
        from id in Gen.Choose(0, 65535)
        from edns in Gen.Elements<ushort?>(null, 512, 1232, 4096)
        select Build(name, answers, additionals, (ushort)id, edns);

    [Fact]
    public void RandomBytesDecodeOrThrowFormatException()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Select(b => b);
        Check.One(Config, Prop.ForAll(Arb.From(bytes), DecodesOrRejects));
    }

    [Fact]
    public void RandomBytesAfterAValidHeaderDecodeOrThrowFormatException()
    {
        // A plausible header (1 question, a few records) so that the fuzzing reaches names, pointers and record data.
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            .Select(tail => Convert.FromHexString("abcd81800001000200010000").Concat(tail).ToArray());
        Check.One(Config, Prop.ForAll(Arb.From(bytes), DecodesOrRejects));
    }

    [Fact]
    public void MutatedValidMessagesDecodeOrThrowFormatException()
    {
        var mutated =
            from message in Message
            let bytes = message.Encode()
            from flips in Gen.ListOf(Gen.Choose(0, bytes.Length - 1).Zip(Gen.Choose(0, 255)))
            from cut in Gen.Choose(0, bytes.Length)
            select Mutate(bytes, flips, cut);
        Check.One(Config, Prop.ForAll(Arb.From(mutated), DecodesOrRejects));
    }

    [Fact]
    public void ValidMessagesRoundTripByteForByte()
    {
        Check.One(Config, Prop.ForAll(Arb.From(Message), message =>
        {
            var bytes = message.Encode();
            return bytes.AsSpan().SequenceEqual(DnsMessage.Decode(bytes).Encode());
        }));
    }

    private static bool DecodesOrRejects(byte[] bytes)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            DnsMessage.Decode(bytes);
        }
        catch (DnsFormatException)
        {
        }

        // Bounded work: no input takes more than a moment (a loop would never return at all).
        return System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1);
    }

    private static byte[] Mutate(byte[] bytes, IEnumerable<(int At, int Value)> flips, int cut)
    {
        var copy = (byte[])bytes.Clone();
        foreach (var (at, value) in flips)
        {
            copy[at] = (byte)value;
        }

        return copy[..cut];
    }

    private static DnsMessage Build(string name, IEnumerable<DnsRecord> answers, IEnumerable<DnsRecord> additionals, ushort id, ushort? edns)
    {
        var message = new DnsMessage { Id = id, IsResponse = true, Edns = edns is { } size ? new EdnsOptions(size) : null };
        message.Questions.Add(new DnsQuestion(name, DnsType.A));
        message.Answers.AddRange(answers.Take(20));
        message.Additionals.AddRange(additionals.Take(20));
        return message;
    }
}
