using System.Net;
using Korral.Kubelet.Cri;

namespace Korral.Kubelet.Tests.Cri;

public class GrpcStatusTests
{
    [Fact]
    public void HeadersWithoutGrpcStatusCarryNoStatus()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(GrpcStatus.FromHeaders(response.Headers));
    }

    [Fact]
    public void StatusAndPercentEncodedMessageAreRead()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("grpc-status", "5");
        response.Headers.TryAddWithoutValidation("grpc-message", "an error occurred when try to find container \"nope\": not found");

        Assert.Equal(new GrpcStatus(5, "an error occurred when try to find container \"nope\": not found"), GrpcStatus.FromHeaders(response.Headers));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("plain text: no escapes", "plain text: no escapes")]
    [InlineData("100%25 done", "100% done")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("line%0Abreak", "line\nbreak")]
    [InlineData("stray % sign", "stray % sign")]
    public void MessagesArePercentDecoded(string encoded, string expected)
    {
        Assert.Equal(expected, GrpcStatus.UnescapeMessage(encoded));
    }

    [Fact]
    public void MalformedStatusIsUnknown()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("grpc-status", "five");

        var status = GrpcStatus.FromHeaders(response.Headers);

        Assert.Equal(CriException.Unknown, status?.Code);
        Assert.Contains("five", status?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OkStatusIsOk()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("grpc-status", "0");

        Assert.True(GrpcStatus.FromHeaders(response.Headers)?.IsOk);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, CriException.Internal)]
    [InlineData(HttpStatusCode.BadRequest, CriException.Internal)]
    [InlineData(HttpStatusCode.Unauthorized, CriException.Unauthenticated)]
    [InlineData(HttpStatusCode.Forbidden, CriException.PermissionDenied)]
    [InlineData(HttpStatusCode.NotFound, CriException.Unimplemented)]
    [InlineData(HttpStatusCode.TooManyRequests, CriException.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, CriException.Unavailable)]
    [InlineData(HttpStatusCode.ServiceUnavailable, CriException.Unavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout, CriException.Unavailable)]
    [InlineData(HttpStatusCode.InternalServerError, CriException.Unknown)]
    public void HttpStatusWithoutGrpcStatusMapsAsTheGrpcSpecSays(HttpStatusCode http, int code)
    {
        Assert.Equal(code, GrpcStatus.FromHttpStatus(http).Code);
    }
}
