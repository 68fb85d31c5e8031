using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Tests.Cri;

public class GrpcFramingTests
{
    [Fact]
    public void EncodePrefixesTheMessageWithAnUncompressedFlagAndItsBigEndianLength()
    {
        var request = new VersionRequest { Version = "0.1.0" };

        var frame = GrpcFraming.Encode(request);

        // Field 1, wire type 2 (0x0a), length 5, "0.1.0".
        Assert.Equal([0, 0, 0, 0, 7, 0x0a, 5, (byte)'0', (byte)'.', (byte)'1', (byte)'.', (byte)'0'], frame);
    }

    [Fact]
    public void EncodeOfAnEmptyMessageIsTheBarePrefix()
    {
        Assert.Equal([0, 0, 0, 0, 0], GrpcFraming.Encode(new StatusRequest()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(70_000)]
    [InlineData(16 * 1024 * 1024)]
    public void HeaderRoundTripsTheLength(int length)
    {
        var header = new byte[GrpcFraming.HeaderLength];

        GrpcFraming.WriteHeader(header, length);

        Assert.Equal(((bool)false, (uint)length), GrpcFraming.ReadHeader(header));
        Assert.Equal((byte)(length >> 24), header[1]);
        Assert.Equal((byte)length, header[4]);
    }

    [Fact]
    public void ReadHeaderSeesTheCompressedFlag()
    {
        Assert.Equal((true, 3u), GrpcFraming.ReadHeader([1, 0, 0, 0, 3]));
    }

    [Fact]
    public void EncodedMessageParsesBackFromTheBytesAfterThePrefix()
    {
        var status = new ContainerStatus { Id = "abc", State = ContainerState.ContainerExited, ExitCode = 3, LogPath = "/var/log/pods/x/c/0.log" };

        var frame = GrpcFraming.Encode(status);
        var (_, length) = GrpcFraming.ReadHeader(frame);

        Assert.Equal(frame.Length - GrpcFraming.HeaderLength, (int)length);
        Assert.Equal(status, ContainerStatus.Parser.ParseFrom(frame.AsSpan(GrpcFraming.HeaderLength)));
    }
}
