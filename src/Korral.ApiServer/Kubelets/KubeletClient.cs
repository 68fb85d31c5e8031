using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// The API server's HTTPS client to kubelets: presents its kubelet client certificate and checks the kubelet's serving
/// certificate against the cluster CA (chain and host name), unless a request asks to skip that
/// (insecureSkipTLSVerifyBackend). Responses are streamed: nothing waits for a body to end. Used for pods/log; exec,
/// attach and port-forward use <see cref="ConnectAsync"/> for a raw TLS connection to upgrade.
/// </summary>
public sealed class KubeletClient : IDisposable
{
    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2 _authority;
    private readonly HttpClient _verified;
    private readonly HttpClient _unverified;

    /// <summary>Why the last verification of a host's certificate failed, for Go-like error messages.</summary>
    private readonly ConcurrentDictionary<string, string> _verifyFailures = new(StringComparer.OrdinalIgnoreCase);

    public KubeletClient(X509Certificate2 clientCertificate, X509Certificate2 authority, KubeletClientOptions options)
    {
        _clientCertificate = clientCertificate;
        _authority = authority;
        Options = options;
        _verified = NewClient(Verify);
        _unverified = NewClient((_, _, _, _) => true);
    }

    public KubeletClientOptions Options { get; }

    /// <summary>
    /// Sends a GET and returns once the kubelet's status and headers are in; the body streams from the response (dispose
    /// it to close the connection).
    /// </summary>
    /// <exception cref="KubeletUnreachableException">No connection, or the kubelet's certificate was not trusted.</exception>
    public async Task<HttpResponseMessage> GetAsync(Uri url, bool insecureSkipTlsVerify, CancellationToken cancellationToken)
    {
        var client = insecureSkipTlsVerify ? _unverified : _verified;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new KubeletUnreachableException("Get", url, Describe(url, e), e);
        }
    }

    /// <summary>
    /// Opens a TLS connection to a kubelet, authenticated and verified as <see cref="GetAsync"/> does, for protocols that
    /// upgrade the connection (exec, attach and port-forward over WebSocket or SPDY); the caller writes the HTTP/1.1
    /// request itself.
    /// </summary>
    /// <exception cref="KubeletUnreachableException">No connection, or the kubelet's certificate was not trusted.</exception>
    public async Task<SslStream> ConnectAsync(KubeletEndpoint endpoint, bool insecureSkipTlsVerify, CancellationToken cancellationToken)
    {
        var url = endpoint.Url("/");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = endpoint.Host,
                    ClientCertificates = [_clientCertificate],
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => _clientCertificate,
                    RemoteCertificateValidationCallback = insecureSkipTlsVerify ? (_, _, _, _) => true : Verify,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, timeout.Token);
                return tls;
            }
            catch
            {
                await tls.DisposeAsync();
                throw;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is SocketException or IOException or OperationCanceledException
                                      or System.Security.Authentication.AuthenticationException)
        {
            socket.Dispose();
            throw new KubeletUnreachableException("Get", url, Describe(url, e), e);
        }
    }

    private HttpClient NewClient(RemoteCertificateValidationCallback validate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = Options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [_clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => _clientCertificate,
                RemoteCertificateValidationCallback = validate,
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private bool Verify(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? "";
        if (certificate is null)
        {
            _verifyFailures[host] = "tls: the kubelet presented no certificate";
            return false;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.Add(_authority);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var serving = new X509Certificate2(certificate);
        if (!own.Build(serving))
        {
            _verifyFailures[host] = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            _verifyFailures[host] = $"tls: failed to verify certificate: x509: certificate is not valid for {host}";
            return false;
        }

        return true;
    }

    /// <summary>The failure as Go's HTTP client words it after the URL: "dial tcp 10.0.0.5:10250: connect: connection refused".</summary>
    private string Describe(Uri url, Exception error)
    {
        var dial = $"dial tcp {url.Authority}";
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"{dial}: connect: connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return $"dial tcp: lookup {url.Host}: no such host";
                case SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }:
                    return $"{dial}: connect: no route to host";
                case TimeoutException or OperationCanceledException:
                    return $"{dial}: i/o timeout";
                case System.Security.Authentication.AuthenticationException:
                    return _verifyFailures.TryGetValue(url.IdnHost, out var reason) ? reason : $"tls: {e.Message}";
            }
        }

        return error.Message;
    }

    public void Dispose()
    {
        _verified.Dispose();
        _unverified.Dispose();
    }
}
