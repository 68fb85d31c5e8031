using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;

namespace Korral.Kubelet.Probes;

/// <summary>
/// A grpc probe as upstream's: grpc.health.v1.Health/Check with the probe's service over plaintext HTTP/2 (h2c, prior
/// knowledge) to podIP:port, on a connection of its own, all within timeoutSeconds. As grpc-go's blocking dial, a
/// refused connection is retried (with back-off) until the deadline. SERVING passes ("service healthy"); every other
/// answer fails with upstream's text: "timeout: failed to connect service "IP:PORT" within 1s: context deadline
/// exceeded", "timeout: health rpc did not complete within 1s", "service unhealthy (responded with "NOT_SERVING")",
/// "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): …" and
/// "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service".
/// </summary>
internal static class GrpcProbe
{
    // grpc-go's connection back-off: 1 s, times 1.6 per attempt (its jitter left out).
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(1);

    public static async Task<ProbeOutcome> RunAsync(GRPCAction grpc, string? podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = podIp ?? "127.0.0.1";
        var port = grpc.Port ?? 0;
        var address = GoText.HostPort(host, port);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var connected = false;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var stream = await DialAsync(host, port, token);
                connected = true;
                return stream;
            },
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = Timeout.InfiniteTimeSpan,
        });

        var message = GrpcHealthMessages.EncodeRequest(grpc.Service ?? "");
        var frame = new byte[GrpcFraming.HeaderLength + message.Length];
        GrpcFraming.WriteHeader(frame, message.Length);
        message.CopyTo(frame.AsSpan(GrpcFraming.HeaderLength));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{address}{GrpcHealthMessages.CheckPath}"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("user-agent", Prober.UserAgent);
        request.Headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout.Format(timeout));
        try
        {
            using var response = await invoker.SendAsync(request, deadline.Token);
            var (status, serving) = await ReadAsync(response, deadline.Token);
            if (status.Code == CriException.Unimplemented)
            {
                return ProbeOutcome.Failed($"error: this server does not implement the grpc health protocol (grpc.health.v1.Health): {status.Message}");
            }

            if (status.Code == CriException.DeadlineExceeded)
            {
                return ProbeOutcome.Failed($"timeout: health rpc did not complete within {GoText.Duration(timeout)}");
            }

            if (!status.IsOk)
            {
                return ProbeOutcome.Failed($"error: health rpc probe failed: rpc error: code = {CriException.CodeName(status.Code)} desc = {status.Message}");
            }

            return serving == GrpcHealthMessages.Serving
                ? ProbeOutcome.Passed("service healthy")
                : ProbeOutcome.Failed($"service unhealthy (responded with {GoText.Quote(GrpcHealthMessages.StatusName(serving))})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return connected
                ? ProbeOutcome.Failed($"timeout: health rpc did not complete within {GoText.Duration(timeout)}")
                : ProbeOutcome.Failed($"timeout: failed to connect service {GoText.Quote(address)} within {GoText.Duration(timeout)}: context deadline exceeded");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return ProbeOutcome.Failed($"error: health rpc probe failed: rpc error: code = Unavailable desc = {e.Message}");
        }
    }

    /// <summary>Connects, retrying a refused or unreachable address with back-off until cancelled (grpc-go's WithBlock dial).</summary>
    private static async ValueTask<Stream> DialAsync(string host, int port, CancellationToken cancellationToken)
    {
        var backOff = FirstBackOff;
        while (true)
        {
            var socket = IPAddress.TryParse(host, out var ip)
                ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
                : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(host, port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            await Task.Delay(backOff, cancellationToken);
            backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 16 / 10, TimeSpan.FromMinutes(2).Ticks));
        }
    }

    /// <summary>The call's gRPC status and, when OK, the serving status of its one response message.</summary>
    private static async Task<(GrpcStatus Status, int Serving)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Trailers-only (an error without a message) comes in the header block.
        var early = GrpcStatus.FromHeaders(response.Headers);
        if (early is { IsOk: false } failed)
        {
            return (failed, 0);
        }

        if (early is null && response.StatusCode != HttpStatusCode.OK)
        {
            return (GrpcStatus.FromHttpStatus(response.StatusCode), 0);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (body.ConfigureAwait(false))
        {
            var message = await ReadMessageAsync(body, cancellationToken);
            await body.CopyToAsync(Stream.Null, cancellationToken);
            var status = GrpcStatus.FromHeaders(response.TrailingHeaders) ?? early ?? GrpcStatus.FromHttpStatus(response.StatusCode);
            if (!status.IsOk)
            {
                return (status, 0);
            }

            if (message is null)
            {
                return (new GrpcStatus(CriException.Internal, "cardinality violation: received no response message from non-streaming RPC"), 0);
            }

            try
            {
                return (status, GrpcHealthMessages.DecodeStatus(message));
            }
            catch (InvalidProtocolBufferException e)
            {
                return (new GrpcStatus(CriException.Internal, $"grpc: failed to unmarshal the received message: {e.Message}"), 0);
            }
        }
    }

    private static async Task<byte[]?> ReadMessageAsync(Stream body, CancellationToken cancellationToken)
    {
        var header = new byte[GrpcFraming.HeaderLength];
        var read = await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < header.Length)
        {
            throw new IOException("server closed the stream inside a message prefix");
        }

        var (compressed, length) = GrpcFraming.ReadHeader(header);
        if (compressed || length > GrpcFraming.MaxMessageLength)
        {
            throw new IOException(compressed ? "server sent a compressed message although none was negotiated" : $"grpc: received message larger than max ({length})");
        }

        var message = new byte[length];
        await body.ReadExactlyAsync(message, cancellationToken);
        return message;
    }
}
