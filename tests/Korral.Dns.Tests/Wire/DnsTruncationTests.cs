using System.Net;
using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Wire;

/// <summary>What does not fit a UDP size is left out: answers with TC set, additional records without (RFC 2181 §9).</summary>
public sealed class DnsTruncationTests
{
    private static DnsMessage Response(int answers, int additionals, EdnsOptions? edns = null)
    {
        var message = new DnsMessage { Id = 9, IsResponse = true, Edns = edns };
        message.Questions.Add(new DnsQuestion("many.testns.svc.cluster.local", DnsType.A));
        for (var i = 0; i < answers; i++)
        {
            message.Answers.Add(DnsRecord.A("many.testns.svc.cluster.local", 5, new IPAddress([10, 0, (byte)(i / 256), (byte)i])));
        }

        for (var i = 0; i < additionals; i++)
        {
            message.Additionals.Add(DnsRecord.A($"host-{i}.many.testns.svc.cluster.local", 5, new IPAddress([10, 1, (byte)(i / 256), (byte)i])));
        }

        return message;
    }

    [Fact]
    public void AnswersBeyondTheSizeAreCutAndTcIsSet()
    {
        var bytes = Response(100, 0).Encode(512);

        Assert.True(bytes.Length <= 512);
        var decoded = DnsMessage.Decode(bytes);
        Assert.True(decoded.Truncated);
        Assert.Equal((512 - 12 - 35) / 16, decoded.Answers.Count);
    }

    [Fact]
    public void EverythingFitsOverTcp()
    {
        var decoded = DnsMessage.Decode(Response(100, 0).Encode());

        Assert.False(decoded.Truncated);
        Assert.Equal(100, decoded.Answers.Count);
    }

    [Fact]
    public void AdditionalRecordsThatDoNotFitAreDroppedWithoutTc()
    {
        var decoded = DnsMessage.Decode(Response(1, 50).Encode(512));

        Assert.False(decoded.Truncated);
        Assert.Single(decoded.Answers);
        Assert.InRange(decoded.Additionals.Count, 1, 49);
    }

    [Fact]
    public void OptRecordIsKeptWhenTruncating()
    {
        var bytes = Response(100, 0, new EdnsOptions(1232)).Encode(1232);

        Assert.True(bytes.Length <= 1232);
        var decoded = DnsMessage.Decode(bytes);
        Assert.True(decoded.Truncated);
        Assert.Equal(1232, decoded.Edns!.UdpPayloadSize);
        Assert.Equal((1232 - 12 - 35 - 11) / 16, decoded.Answers.Count);
    }

    [Fact]
    public void SizeBelow512IsRaisedTo512()
    {
        Assert.Equal(DnsMessage.Decode(Response(100, 0).Encode(512)).Answers.Count, DnsMessage.Decode(Response(100, 0).Encode(100)).Answers.Count);
    }
}
