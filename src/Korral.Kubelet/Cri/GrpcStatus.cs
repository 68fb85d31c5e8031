using System.Net;
using System.Net.Http.Headers;

namespace Korral.Kubelet.Cri;

/// <summary>
/// The outcome of one gRPC call as the server reported it: grpc-status and the unescaped grpc-message. Servers send them
/// as trailers after the message, or "trailers-only" in the response headers when there is no message (most errors), so
/// both places are read.
/// </summary>
public readonly record struct GrpcStatus(int Code, string Message)
{
    public const int Ok = 0;

    public bool IsOk => Code == Ok;

    /// <summary>The status in a header block, or null when it carries no grpc-status.</summary>
    public static GrpcStatus? FromHeaders(HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var codes))
        {
            return null;
        }

        var text = codes.FirstOrDefault();
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            return new GrpcStatus(CriException.Unknown, $"malformed grpc-status {text}");
        }

        var message = headers.TryGetValues("grpc-message", out var messages) ? UnescapeMessage(messages.FirstOrDefault()) : "";
        return new GrpcStatus(code, message);
    }

    /// <summary>grpc-message is percent-encoded UTF-8 (the spec's Percent-Encoded form); decoding never fails.</summary>
    public static string UnescapeMessage(string? value) =>
        string.IsNullOrEmpty(value) || !value.Contains('%', StringComparison.Ordinal) ? value ?? "" : Uri.UnescapeDataString(value);

    /// <summary>
    /// The status a response without grpc-status stands for: the gRPC spec's mapping of HTTP codes (a proxy or a
    /// non-gRPC server answered), or Internal when an HTTP 200 lacks it.
    /// </summary>
    public static GrpcStatus FromHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => new GrpcStatus(CriException.Internal, "server closed the stream without sending trailers"),
        HttpStatusCode.BadRequest => new GrpcStatus(CriException.Internal, "unexpected HTTP status code received from server: 400 (Bad Request)"),
        HttpStatusCode.Unauthorized => new GrpcStatus(CriException.Unauthenticated, "unexpected HTTP status code received from server: 401 (Unauthorized)"),
        HttpStatusCode.Forbidden => new GrpcStatus(CriException.PermissionDenied, "unexpected HTTP status code received from server: 403 (Forbidden)"),
        HttpStatusCode.NotFound => new GrpcStatus(CriException.Unimplemented, "unexpected HTTP status code received from server: 404 (Not Found)"),
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
            new GrpcStatus(CriException.Unavailable, $"unexpected HTTP status code received from server: {(int)status} ({status})"),
        _ => new GrpcStatus(CriException.Unknown, $"unexpected HTTP status code received from server: {(int)status} ({status})"),
    };
}
