using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Tests.Images;

/// <summary>
/// Just enough of the CRI image service for the mirror's integration test: unary gRPC over HTTP/2 (prior knowledge)
/// on containerd's unix socket.
/// </summary>
internal sealed class CriImageClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri("http://localhost"),
    };

    public Task<PullImageResponse> PullImageAsync(string image, CancellationToken cancellationToken) =>
        CallAsync("PullImage", new PullImageRequest { Image = new ImageSpec { Image = image } }, PullImageResponse.Parser, cancellationToken);

    public Task<ImageStatusResponse> ImageStatusAsync(string image, CancellationToken cancellationToken) =>
        CallAsync("ImageStatus", new ImageStatusRequest { Image = new ImageSpec { Image = image } }, ImageStatusResponse.Parser, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T> CallAsync<T>(string method, IMessage request, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var payload = request.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/runtime.v1.ImageService/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var status = Header(response, "grpc-status") ?? "0";
        if (status != "0")
        {
            throw new InvalidOperationException($"{method}: gRPC status {status}: {Uri.UnescapeDataString(Header(response, "grpc-message") ?? "")}");
        }

        return parser.ParseFrom(body, 5, (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First()
        : null;
}
