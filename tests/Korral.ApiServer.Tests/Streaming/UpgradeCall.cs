using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Korral.ApiServer.Tests.Fixtures;
using Korral.Streaming.Http;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>
/// An upgrade request sent to the API server by hand over TLS (as kubectl's SPDY and WebSocket dialers do, on their own
/// connection), and its answer: after 101 the answer's stream carries the session.
/// </summary>
public sealed class UpgradeCall : IAsyncDisposable
{
    private readonly Stream _connection;

    private UpgradeCall(Stream connection, UpgradeResponse answer)
    {
        _connection = connection;
        Answer = answer;
    }

    public UpgradeResponse Answer { get; }

    /// <summary>The session after a switch.</summary>
    public Stream Stream => Answer.Stream ?? throw new InvalidOperationException($"no switch: {Answer.StatusCode} {Answer.Reason}");

    public string Body => System.Text.Encoding.UTF8.GetString(Answer.Body);

    /// <summary>POST with Upgrade: SPDY/3.1 and one X-Stream-Protocol-Version line per protocol.</summary>
    public static Task<UpgradeCall> SpdyAsync(TestServer server, string path, CancellationToken cancellationToken, params string[] protocols) =>
        SendAsync(server, server.AdminCertificate, "POST", path,
            [new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1"), .. protocols.Select(p => KeyValuePair.Create("X-Stream-Protocol-Version", p))],
            cancellationToken);

    /// <summary>GET with a WebSocket opening handshake offering <paramref name="protocols"/>.</summary>
    public static Task<UpgradeCall> WebSocketAsync(TestServer server, string path, CancellationToken cancellationToken, params string[] protocols) =>
        SendAsync(server, server.AdminCertificate, "GET", path,
        [
            new("Connection", "Upgrade"), new("Upgrade", "websocket"), new("Sec-WebSocket-Version", "13"),
            new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Protocol", string.Join(", ", protocols)),
        ], cancellationToken);

    public static async Task<UpgradeCall> SendAsync(TestServer server, X509Certificate2? certificate, string method, string path,
        IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host.Url.Host, server.Host.Url.Port, cancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = server.Host.Url.Host,
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, cancellationToken);
            var answer = await UpgradeClient.SendAsync(tls, new UpgradeRequest(method, path, server.Host.Url.Authority, headers), cancellationToken);
            return new UpgradeCall(tls, answer);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Answer.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
