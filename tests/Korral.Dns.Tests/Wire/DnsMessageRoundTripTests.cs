using System.Net;
using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Wire;

public sealed class DnsMessageRoundTripTests
{
    public static TheoryData<DnsRecord> Records => new()
    {
        DnsRecord.A("svc.ns.svc.cluster.local", 5, IPAddress.Parse("10.96.0.10")),
        DnsRecord.Aaaa("svc.ns.svc.cluster.local", 5, IPAddress.Parse("fd00:10:96::a")),
        DnsRecord.Cname("ext.ns.svc.cluster.local", 5, "example.com"),
        DnsRecord.Ptr("10.0.96.10.in-addr.arpa", 5, "kube-dns.kube-system.svc.cluster.local"),
        DnsRecord.Ns("cluster.local", 5, "ns.dns.cluster.local"),
        new("_dns._udp.kube-dns.kube-system.svc.cluster.local", DnsType.SRV, DnsClass.IN, 5, new SrvData(0, 100, 53, "kube-dns.kube-system.svc.cluster.local")),
        new("cluster.local", DnsType.SOA, DnsClass.IN, 5, new SoaData("ns.dns.cluster.local", "hostmaster.cluster.local", 1735689600, 7200, 1800, 86400, 5)),
        new("dns-version.cluster.local", DnsType.TXT, DnsClass.IN, 28800, new TxtData(["1.1.0", "", "\u00ff bytes"])),
        new("example.com", DnsType.MX, DnsClass.IN, 300, new RawData([0, 10, 4, (byte)'m', (byte)'a', (byte)'i', (byte)'l', 0])),
        new("escaped\\.dot.and\\\\backslash.\\000\\255", DnsType.A, DnsClass.CH, 0, new AddressData(IPAddress.Parse("1.2.3.4"))),
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void RecordSurvivesEncodeAndDecode(DnsRecord record)
    {
        var message = new DnsMessage { Id = 0xBEEF, IsResponse = true, AuthoritativeAnswer = true, RecursionDesired = true };
        message.Questions.Add(new DnsQuestion(record.Name, record.Type, record.Class));
        message.Answers.Add(record);
        message.Authorities.Add(record);
        message.Additionals.Add(record);

        var decoded = DnsMessage.Decode(message.Encode());

        Assert.Equal(record, Assert.Single(decoded.Answers));
        Assert.Equal(record, Assert.Single(decoded.Authorities));
        Assert.Equal(record, Assert.Single(decoded.Additionals));
        Assert.Equal(message.Questions, decoded.Questions);
    }

    [Fact]
    public void HeaderFlagsSurvive()
    {
        var message = new DnsMessage
        {
            Id = 0xFFFF, IsResponse = true, Opcode = DnsOpcode.Status, AuthoritativeAnswer = true, Truncated = true, RecursionDesired = true,
            RecursionAvailable = true, AuthenticData = true, CheckingDisabled = true, Rcode = DnsRcode.Refused,
        };

        var decoded = DnsMessage.Decode(message.Encode());

        Assert.Equal(message.ToString(), decoded.ToString());
        Assert.True(decoded.AuthenticData && decoded.CheckingDisabled && decoded.Truncated);
        Assert.Equal(DnsOpcode.Status, decoded.Opcode);
    }

    [Fact]
    public void TrailingDotAndCaseArePreserved()
    {
        var message = new DnsMessage();
        message.Questions.Add(new DnsQuestion("KuBeRnEtEs.Default.SVC.cluster.local.", DnsType.A));

        Assert.Equal("KuBeRnEtEs.Default.SVC.cluster.local", DnsMessage.Decode(message.Encode()).Questions[0].Name);
    }

    [Fact]
    public void RootNameIsEmpty()
    {
        var message = new DnsMessage();
        message.Questions.Add(new DnsQuestion(".", DnsType.NS));

        var bytes = message.Encode();

        Assert.Equal(12 + 1 + 4, bytes.Length);
        Assert.Equal("", DnsMessage.Decode(bytes).Questions[0].Name);
    }

    [Fact]
    public void CompressionShrinksRepeatedSuffixes()
    {
        var message = new DnsMessage { IsResponse = true };
        message.Questions.Add(new DnsQuestion("hdls.testns.svc.cluster.local", DnsType.A));
        for (var i = 0; i < 10; i++)
        {
            message.Answers.Add(DnsRecord.A("hdls.testns.svc.cluster.local", 5, IPAddress.Parse($"10.0.0.{i}")));
        }

        // Header, question (31 + 4), then each answer: a 2-byte pointer + 10 fixed + 4 data.
        Assert.Equal(12 + 35 + (10 * 16), message.Encode().Length);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a\\")]
    [InlineData("a\\256")]
    public void EncoderRejectsMalformedNames(string name)
    {
        var message = new DnsMessage();
        message.Questions.Add(new DnsQuestion(name, DnsType.A));

        Assert.Throws<ArgumentException>(() => message.Encode());
    }

    [Fact]
    public void EncoderRejectsLabelsOver63AndNamesOver255()
    {
        var longLabel = new DnsMessage();
        longLabel.Questions.Add(new DnsQuestion(new string('a', 64) + ".com", DnsType.A));
        var longName = new DnsMessage();
        longName.Questions.Add(new DnsQuestion(string.Join('.', Enumerable.Repeat(new string('a', 63), 4)), DnsType.A));

        Assert.Throws<ArgumentException>(() => longLabel.Encode());
        Assert.Throws<ArgumentException>(() => longName.Encode());
    }
}
