using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// Requests to an nginx on 127.0.0.1 as a client that resolved some host name to it would send them: the Host header
/// (and for HTTPS the SNI name) is the host, the connection goes to loopback. Redirects are not followed; any server
/// certificate is accepted and kept for inspection.
/// </summary>
public sealed class IngressClient : IDisposable
{
    private readonly HttpClient _client;

    public IngressClient(int httpPort, int httpsPort)
    {
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                // Every connection sees the certificate nginx presents now, not the one of a resumed session.
                AllowTlsResume = false,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    LastCertificate = certificate is null ? null : new X509Certificate2(certificate);
                    return true;
                },
            },
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    /// <summary>The certificate the last HTTPS connection was offered.</summary>
    public X509Certificate2? LastCertificate { get; private set; }

    /// <summary>GET http://host:port/path (the Host header carries the port as a browser's would).</summary>
    public Task<HttpResponseMessage> GetAsync(string host, string path, CancellationToken cancellationToken = default) =>
        _client.GetAsync($"http://{host}:{HttpPort}{path}", cancellationToken);

    /// <summary>GET https://host:port/path, with host as the SNI name.</summary>
    public Task<HttpResponseMessage> GetTlsAsync(string host, string path, CancellationToken cancellationToken = default) =>
        _client.GetAsync($"https://{host}:{HttpsPort}{path}", cancellationToken);

    /// <summary>Status and body of GET http://host/path.</summary>
    public async Task<(HttpStatusCode Status, string Body)> FetchAsync(string host, string path, CancellationToken cancellationToken = default)
    {
        using var response = await GetAsync(host, path, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public void Dispose() => _client.Dispose();
}
