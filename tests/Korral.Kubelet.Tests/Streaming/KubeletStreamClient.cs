using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Korral.ApiServer.Security;
using Korral.Streaming.Http;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// Calls the kubelet server as the API server does (client certificate kube-apiserver-kubelet-client), or as another
/// caller: WebSocket sessions with <see cref="ClientWebSocket"/>, raw upgrade requests whose refusals are read whole,
/// and plain HTTPS requests.
/// </summary>
public sealed class KubeletStreamClient(Uri server, ClusterCertificates certificates) : IDisposable
{
    public const string ApiServerUser = "kube-apiserver-kubelet-client";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<IDisposable> _owned = [];

    /// <summary>The certificate the API server presents to kubelets.</summary>
    public X509Certificate2 ApiServer { get; } = certificates.IssueClient(ApiServerUser, [], DateTimeOffset.UtcNow);

    public X509Certificate2 Client(string user, params string[] groups) => certificates.IssueClient(user, groups, DateTimeOffset.UtcNow);

    /// <summary>Opens a WebSocket session (offering <paramref name="protocols"/>) as the API server.</summary>
    public async Task<ClientWebSocket> WebSocketAsync(string pathAndQuery, params string[] protocols)
    {
        var socket = new ClientWebSocket();
        foreach (var protocol in protocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri($"wss://{server.Authority}{pathAndQuery}"), new HttpMessageInvoker(Handler(ApiServer)), timeout.Token);
        return socket;
    }

    /// <summary>
    /// Sends an upgrade request as it comes from the API server (or as <paramref name="certificate"/>, or with no
    /// certificate when <paramref name="anonymous"/>) and reads the answer's head, and for a refusal its body.
    /// </summary>
    public async Task<UpgradeExchange> UpgradeAsync(string method, string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>> headers,
        X509Certificate2? certificate = null, bool anonymous = false)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            var presented = anonymous ? null : certificate ?? ApiServer;
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                ClientCertificates = presented is null ? null : new X509CertificateCollection { presented },
                LocalCertificateSelectionCallback = presented is null ? null : (_, _, _, _, _) => presented,
                RemoteCertificateValidationCallback = (_, serving, _, _) => serving is X509Certificate2 cert && ChainsToAuthority(cert),
            }, timeout.Token);
            var response = await UpgradeClient.SendAsync(tls, new UpgradeRequest(method, pathAndQuery, server.Authority, headers), timeout.Token);
            return new UpgradeExchange(response, tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>A plain HTTPS client (no upgrade) presenting <paramref name="certificate"/>.</summary>
    public HttpClient Http(X509Certificate2? certificate)
    {
        var client = new HttpClient(Handler(certificate)) { BaseAddress = server, Timeout = Timeout };
        lock (_owned)
        {
            _owned.Add(client);
        }

        return client;
    }

    /// <summary>The headers of a WebSocket opening handshake offering <paramref name="protocol"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> WebSocketHeaders(string protocol) =>
    [
        new("Connection", "Upgrade"),
        new("Upgrade", "websocket"),
        new("Sec-WebSocket-Version", "13"),
        new("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))),
        new("Sec-WebSocket-Protocol", protocol),
    ];

    /// <summary>The headers of a SPDY upgrade offering the exec protocols as kubectl does, one line per version.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SpdyHeaders(params string[] versions) =>
        [new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1"), .. versions.Select(v => new KeyValuePair<string, string>("X-Stream-Protocol-Version", v))];

    private SocketsHttpHandler Handler(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, serving, _, _) => serving is X509Certificate2 cert && ChainsToAuthority(cert),
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            },
        };
        lock (_owned)
        {
            _owned.Add(handler);
        }

        return handler;
    }

    private bool ChainsToAuthority(X509Certificate2 serving)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificates.Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(serving);
    }

    public void Dispose()
    {
        lock (_owned)
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }
        }
    }
}
