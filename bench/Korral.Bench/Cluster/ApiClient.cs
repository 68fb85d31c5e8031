using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Korral.Bench.Cluster;

/// <summary>
/// An HTTPS client of one API server: client certificate from the kubeconfig, the cluster CA pinned (no system trust
/// store), HTTP/2 or HTTP/1.1 exactly as asked. Each instance owns one connection pool: with HTTP/2 its requests
/// multiplex on one connection (a second opens only past the server's stream limit).
/// </summary>
public sealed class ApiClient : IDisposable
{
    public static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    public ApiClient(Kubeconfig kubeconfig, Version httpVersion)
    {
        var authority = kubeconfig.Authority;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [kubeconfig.Client],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsPinned(authority, certificate, errors),
            },
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = kubeconfig.Server,
            DefaultRequestVersion = httpVersion,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        HttpVersion = httpVersion;
    }

    public Version HttpVersion { get; }

    public HttpClient Http => _http;

    /// <summary>POSTs a JSON body; the caller disposes the response.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return _http.PostAsync(path, content, cancellationToken);
    }

    /// <summary>POSTs and throws unless the server answers 201 (set-up requests, not measured).</summary>
    public async Task<JsonDocument> CreateAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(path, body, cancellationToken);
        return await ExpectJsonAsync(response, HttpStatusCode.Created, $"POST {path}", cancellationToken);
    }

    /// <summary>GETs JSON and throws unless the server answers 200 (set-up requests, not measured).</summary>
    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        return await ExpectJsonAsync(response, HttpStatusCode.OK, $"GET {path}", cancellationToken);
    }

    /// <summary>Reads a response body to its end without keeping it; returns its length.</summary>
    public static async Task<long> DrainAsync(HttpResponseMessage response, byte[] buffer, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>A short description of a failed response, for error reports.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return $"{(int)response.StatusCode} {response.StatusCode}: {(body.Length > 300 ? body[..300] + "…" : body)}";
    }

    public void Dispose() => _http.Dispose();

    private static async Task<JsonDocument> ExpectJsonAsync(HttpResponseMessage response, HttpStatusCode expected, string what,
        CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException($"{what}: expected {(int)expected}, got {await DescribeAsync(response, cancellationToken)}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    /// <summary>Accepts the server certificate only if it chains to the cluster CA and matches the host name.</summary>
    private static bool IsPinned(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 serving || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
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
