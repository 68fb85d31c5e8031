using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Korral.Bench.Scheduler.Cluster;

/// <summary>
/// The benchmark's own writer: pre-serialized JSON bodies over HTTP/2 with an admin client certificate, the cluster CA
/// pinned, response bodies drained unread. Keeps the writers' CPU small, since they share the 2 cores with the scheduler
/// and the API server.
/// </summary>
public sealed class RawApi : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue MergePatch = new("application/merge-patch+json");
    private readonly HttpClient _http;
    private long _nameCollisions;

    public RawApi(Uri server, X509Certificate2 clientCertificate, X509Certificate2 authority)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => ChainsTo(authority, certificate),
            },
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = server,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    /// <summary>
    /// POSTs a body; true on 201, false on a retryable answer (429, 5xx, and 409 AlreadyExists for a body that uses
    /// generateName: this server does not retry a generated name that is taken; upstream's apiserver does, KEP-4420,
    /// on by default since 1.31).
    /// </summary>
    public Task<bool> TryCreateAsync(string path, byte[] body, CancellationToken cancellationToken, bool generatedName = false) =>
        SendAsync(HttpMethod.Post, path, body, Json, HttpStatusCode.Created, cancellationToken, generatedName);

    public Task<bool> TryMergePatchAsync(string path, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, body, MergePatch, HttpStatusCode.OK, cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <summary>Answers 409 AlreadyExists to a create whose name the server generated.</summary>
    public long NameCollisions => Interlocked.Read(ref _nameCollisions);

    private async Task<bool> SendAsync(HttpMethod method, string path, byte[] body, MediaTypeHeaderValue type, HttpStatusCode expected,
        CancellationToken cancellationToken, bool generatedName = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = type;
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == expected)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await stream.CopyToAsync(Stream.Null, cancellationToken);
            return true;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            return false;
        }

        if (generatedName && response.StatusCode == HttpStatusCode.Conflict && text.Contains("\"AlreadyExists\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _nameCollisions);
            return false;
        }

        throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {(text.Length > 400 ? text[..400] : text)}");
    }

    private static bool ChainsTo(X509Certificate2 authority, X509Certificate? certificate)
    {
        if (certificate is not X509Certificate2 serving)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(serving);
    }
}
