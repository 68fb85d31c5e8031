using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;

namespace Korral.Kubelet.Cri;

/// <summary>
/// Unary gRPC calls over HTTP/2 with prior knowledge (h2c) on a unix socket: what containerd's CRI plugin speaks. One
/// <see cref="SocketsHttpHandler"/> keeps one connection and multiplexes concurrent calls as HTTP/2 streams, so the
/// channel is thread-safe and meant to live as long as the kubelet. Grpc.Net.Client is not restorable here, and unary
/// calls are all the kubelet needs (streaming goes through the runtime's own HTTP streaming server).
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly string _socketPath;

    public GrpcChannel(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        _socketPath = socketPath;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            // Proxies from the environment must never apply to a local socket.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // The kubelet relists every second; keep the connection instead of redialling after a quiet minute.
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        }, disposeHandler: true);
    }

    /// <summary>The unix socket the channel dials.</summary>
    public string SocketPath => _socketPath;

    /// <summary>
    /// Sends one request and returns the single response message. A non-OK status becomes a <see cref="CriException"/>
    /// with the server's code and message; the deadline (sent as grpc-timeout and enforced here) gives DeadlineExceeded;
    /// a socket that cannot be reached or a connection that breaks gives Unavailable. Cancellation by the caller throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<TResponse> UnaryAsync<TResponse>(
        GrpcMethod method, IMessage request, MessageParser<TResponse> parser, TimeSpan timeout, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, method.Uri)
        {
            Version = HttpVersion.Version20,
            // On an http:// URI this is HTTP/2 with prior knowledge: no upgrade, no TLS.
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcFraming.Encode(request)),
        };
        message.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout.Format(timeout));
        try
        {
            using var response = await _invoker.SendAsync(message, deadline.Token).ConfigureAwait(false);
            return await ReadResponseAsync(method, response, parser, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CriException(method.Path, CriException.DeadlineExceeded, "context deadline exceeded");
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            throw new CriException(method.Path, CriException.Unavailable,
                $"connection error: desc = \"transport: Error while dialing dial unix {_socketPath}: connect: {Describe(socket)}\"", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new CriException(method.Path, CriException.Unavailable, $"error reading from server: {ex.Message}", ex);
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static async Task<TResponse> ReadResponseAsync<TResponse>(
        GrpcMethod method, HttpResponseMessage response, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        // Trailers-only: an error without a message comes as grpc-status in the header block, and no body follows.
        var early = GrpcStatus.FromHeaders(response.Headers);
        if (early is { IsOk: false } failed)
        {
            throw new CriException(method.Path, failed.Code, failed.Message);
        }

        if (early is null && response.StatusCode != HttpStatusCode.OK)
        {
            var mapped = GrpcStatus.FromHttpStatus(response.StatusCode);
            throw new CriException(method.Path, mapped.Code, mapped.Message);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var result = await ReadMessageAsync(method, body, parser, cancellationToken).ConfigureAwait(false);

            // The trailers are only filled in once the body has been read to its end.
            var rest = ArrayPool<byte>.Shared.Rent(64);
            try
            {
                while (await body.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
                {
                    // A unary call answers one message; anything after it is drained and ignored.
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rest);
            }

            var status = GrpcStatus.FromHeaders(response.TrailingHeaders) ?? early ?? GrpcStatus.FromHttpStatus(response.StatusCode);
            if (!status.IsOk)
            {
                throw new CriException(method.Path, status.Code, status.Message);
            }

            return result ?? throw new CriException(method.Path, CriException.Internal, "server sent OK without a response message");
        }
    }

    private static async Task<TResponse?> ReadMessageAsync<TResponse>(
        GrpcMethod method, Stream body, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        var header = ArrayPool<byte>.Shared.Rent(GrpcFraming.HeaderLength);
        try
        {
            var read = await body.ReadAtLeastAsync(header.AsMemory(0, GrpcFraming.HeaderLength), GrpcFraming.HeaderLength,
                throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return default;
            }

            if (read < GrpcFraming.HeaderLength)
            {
                throw new CriException(method.Path, CriException.Internal, "server closed the stream inside a message prefix");
            }

            var (compressed, length) = GrpcFraming.ReadHeader(header);
            if (compressed)
            {
                throw new CriException(method.Path, CriException.Internal, "server sent a compressed message although no compression was negotiated");
            }

            if (length > GrpcFraming.MaxMessageLength)
            {
                throw new CriException(method.Path, CriException.ResourceExhausted,
                    $"grpc: received message larger than max ({length} vs. {GrpcFraming.MaxMessageLength})");
            }

            var size = (int)length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
            try
            {
                await body.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                return parser.ParseFrom(buffer.AsSpan(0, size));
            }
            catch (EndOfStreamException)
            {
                throw new CriException(method.Path, CriException.Internal, "server closed the stream inside a message");
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new CriException(method.Path, CriException.Internal, $"grpc: failed to unmarshal the received message: {ex.Message}", ex);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Go's wording (lower-case errno text), which kubelet messages and operators recognise.
    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.AddressNotAvailable => "no such file or directory",
        SocketError.AccessDenied => "permission denied",
        _ => socket.Message.Length > 0 ? char.ToLowerInvariant(socket.Message[0]) + socket.Message[1..] : socket.SocketErrorCode.ToString(),
    };
}
