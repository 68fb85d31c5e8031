using System.Net;
using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Wire;

/// <summary>Real queries and hand-assembled responses, byte for byte (RFC 1035 §4.1).</summary>
public sealed class DnsMessageGoldenTests
{
    /// <summary>Captured from <c>busybox nslookup -type=a kubernetes.default.svc.cluster.local 127.0.0.1:15353</c> (BusyBox 1.35).</summary>
    private const string BusyboxQuery =
        "2534010000010000000000000a6b756265726e657465730764656661756c740373766307636c7573746572056c6f63616c0000010001";

    [Fact]
    public void DecodesBusyboxQuery()
    {
        var query = DnsMessage.Decode(Convert.FromHexString(BusyboxQuery));

        Assert.Equal(0x2534, query.Id);
        Assert.False(query.IsResponse);
        Assert.Equal(DnsOpcode.Query, query.Opcode);
        Assert.True(query.RecursionDesired);
        Assert.Null(query.Edns);
        Assert.Equal(new DnsQuestion("kubernetes.default.svc.cluster.local", DnsType.A, DnsClass.IN), Assert.Single(query.Questions));
        Assert.Empty(query.Answers);
    }

    [Fact]
    public void ReencodesBusyboxQueryToTheSameBytes()
    {
        var bytes = Convert.FromHexString(BusyboxQuery);

        Assert.Equal(BusyboxQuery, Convert.ToHexString(DnsMessage.Decode(bytes).Encode()).ToLowerInvariant());
    }

    [Fact]
    public void EncodesAnswerWithOwnerPointingAtQuestion()
    {
        var query = DnsMessage.Decode(Convert.FromHexString(BusyboxQuery));
        var response = DnsMessage.ResponseTo(query);
        response.AuthoritativeAnswer = true;
        response.Answers.Add(DnsRecord.A("kubernetes.default.svc.cluster.local", 5, IPAddress.Parse("10.96.0.1")));

        var expected = "2534" + "8500" + "0001000100000000"
            + BusyboxQuery[24..]
            + "c00c" + "0001" + "0001" + "00000005" + "0004" + "0a600001";
        Assert.Equal(expected, Convert.ToHexString(response.Encode()).ToLowerInvariant());
    }

    [Fact]
    public void EncodesSrvTargetUncompressedAndOtherNamesCompressed()
    {
        var response = new DnsMessage { Id = 1, IsResponse = true };
        response.Questions.Add(new DnsQuestion("_http._tcp.a.b", DnsType.SRV));
        response.Answers.Add(new DnsRecord("_http._tcp.a.b", DnsType.SRV, DnsClass.IN, 5, new SrvData(0, 100, 80, "a.b")));
        response.Additionals.Add(DnsRecord.A("a.b", 5, IPAddress.Parse("10.0.0.1")));

        var expected = "0001" + "8000" + "0001000100000001"
            + "055f68747470045f74637001610162" + "00" + "0021" + "0001" // question at 12: _http(12) _tcp(18) a(23) b(25)
            + "c00c" + "0021" + "0001" + "00000005" + "000b" + "0000" + "0064" + "0050" + "0161016200" // target written out
            + "c017" + "0001" + "0001" + "00000005" + "0004" + "0a000001"; // a.b points into the question
        Assert.Equal(expected, Convert.ToHexString(response.Encode()).ToLowerInvariant());
    }

    [Fact]
    public void EncodesEdnsOptRecordWithExtendedRcode()
    {
        var response = new DnsMessage { Id = 7, IsResponse = true, Rcode = DnsRcode.BadVers, Edns = new EdnsOptions(1232) };

        // BADVERS is 16: 0 in the header, 1 in the OPT TTL's top byte.
        var expected = "0007" + "8000" + "0000000000000001" + "00" + "0029" + "04d0" + "01000000" + "0000";
        Assert.Equal(expected, Convert.ToHexString(response.Encode()).ToLowerInvariant());
        var decoded = DnsMessage.Decode(Convert.FromHexString(expected));
        Assert.Equal(DnsRcode.BadVers, decoded.Rcode);
        Assert.Equal(1232, decoded.Edns!.UdpPayloadSize);
        Assert.Empty(decoded.Additionals);
    }
}
