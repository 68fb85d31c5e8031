using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Korral.Api.Models;
using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;

namespace Korral.Client;

/// <summary>
/// The HTTP client of the Kubernetes API, with the component's own credentials (client certificate, bearer token),
/// over HTTP/2 (several connections when one's streams are used up: every informer holds a watch stream), JSON through
/// <see cref="KubeJson.Options"/>. Typed access per resource: <see cref="Resource{T}()"/>. Thread-safe; make one per
/// component and share it.
/// </summary>
public sealed partial class KubeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly ConcurrentDictionary<(Type, ResourceInfo), object> _resources = new();
    private readonly Action<string> _log;
    private (string? Token, long ReadAt) _fileToken;

    public KubeClient(KubeClientOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid client options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        Options = options;
        _base = options.Server.AbsoluteUri.TrimEnd('/');
        _log = options.Log ?? (_ => { });
        _http = new HttpClient(options.Handler ?? CreateHandler(options), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _http.DefaultRequestHeaders.UserAgent.TryParseAdd(options.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>A client for the current context of the kubeconfig at <paramref name="path"/>.</summary>
    public static KubeClient FromKubeconfig(string path, string? context = null) => new(Kubeconfig.Load(path, context));

    public KubeClientOptions Options { get; }

    /// <summary>The client of the built-in resource that serves <typeparamref name="T"/> (Pod → pods, Lease → leases.coordination.k8s.io).</summary>
    public ResourceClient<T> Resource<T>()
        where T : class =>
        Resource<T>(KubeModel<T>.Resource ?? throw new InvalidOperationException(
            $"{typeof(T).Name} ({KubeModel<T>.ApiVersion}/{KubeModel<T>.Kind}) is not a built-in resource: pass its ResourceInfo"));

    /// <summary>The client of <paramref name="resource"/>, whose objects deserialize as <typeparamref name="T"/>.</summary>
    public ResourceClient<T> Resource<T>(ResourceInfo resource)
        where T : class =>
        (ResourceClient<T>)_resources.GetOrAdd((typeof(T), resource), static (key, client) => new ResourceClient<T>(client, key.Item2), this);

    /// <summary>GET of any path (discovery, /version…) as <typeparamref name="TResult"/>.</summary>
    public async Task<TResult> GetAsync<TResult>(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, null, null, idempotent: true, cancellationToken);
        return await ReadAsync<TResult>(response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends one request, retrying as <see cref="KubeClientOptions.MaxRetries"/> says; returns a successful response or
    /// throws <see cref="KubeApiException"/>. <paramref name="streaming"/>: return at the headers, with no time limit (watch).
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, bool idempotent,
        CancellationToken cancellationToken, bool streaming = false)
    {
        var uri = new Uri(_base + pathAndQuery);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }

            if (Token() is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var timeout = streaming ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout?.CancelAfter(Options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                    timeout?.Token ?? cancellationToken);
            }
            catch (HttpRequestException e) when (attempt < Options.MaxRetries && (idempotent || e.HttpRequestError == HttpRequestError.ConnectionError))
            {
                var delay = Backoff.Exponential(attempt, Options.RetryInitialDelay, Options.RetryMaxDelay);
                _log($"{method} {pathAndQuery}: {e.Message}; retry {attempt + 1}/{Options.MaxRetries} in {delay.TotalMilliseconds:F0} ms");
                await Task.Delay(delay, Options.Time, cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{method} {pathAndQuery} took longer than {Options.RequestTimeout.TotalSeconds:F0} s");
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            // 429 means the server did not run the request: retried for any verb when it says when (Retry-After), for
            // idempotent ones always. A 429 without Retry-After on a POST is an answer (an eviction a budget forbids).
            var code = (int)response.StatusCode;
            var retryable = (code == 429 && (idempotent || response.Headers.RetryAfter is not null)) ||
                (idempotent && code >= 500 && code is not (501 or 505));
            if (retryable && attempt < Options.MaxRetries)
            {
                var delay = RetryAfter(response) is { } after
                    ? TimeSpan.FromTicks(Math.Min(after.Ticks, Options.RetryMaxDelay.Ticks))
                    : Backoff.Exponential(attempt, Options.RetryInitialDelay, Options.RetryMaxDelay);
                _log($"{method} {pathAndQuery}: {code} {response.ReasonPhrase}; retry {attempt + 1}/{Options.MaxRetries} in {delay.TotalMilliseconds:F0} ms");
                response.Dispose();
                await Task.Delay(delay, Options.Time, cancellationToken);
                continue;
            }

            using (response)
            {
                throw await ErrorAsync(response, cancellationToken);
            }
        }
    }

    internal static async Task<TResult> ReadAsync<TResult>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync<TResult>(stream, KubeJson.Options, cancellationToken)
                ?? throw new JsonException($"the server answered {typeof(TResult).Name} with null");
        }
        catch (JsonException e)
        {
            // A cut-off or empty body (a server shutting down mid-answer) is a failed request like any other, so
            // callers' retry and requeue paths handle it instead of an unexpected exception type.
            throw new KubeApiException(KubeApiException.StatusFor(System.Net.HttpStatusCode.ServiceUnavailable,
                $"the server's answer could not be read as {typeof(TResult).Name}: {e.Message}"));
        }
    }

    /// <summary>The error of a failed response: its Status body, or one made from the HTTP code.</summary>
    internal static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Status? status = null;
        try
        {
            status = KubeJson.Deserialize<Status>(text);
        }
        catch (JsonException)
        {
        }

        if (status is null || status.Kind != "Status")
        {
            status = KubeApiException.StatusFor(response.StatusCode, text.Length > 0 ? text : response.ReasonPhrase ?? "");
        }

        status.Code ??= (int)response.StatusCode;
        return new KubeApiException(status) { RetryAfter = RetryAfter(response) };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        return header.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private string? Token()
    {
        if (Options.BearerTokenFile is not { } file)
        {
            return Options.BearerToken;
        }

        // Service account tokens rotate: read the file again once a minute, as upstream does.
        var now = Options.Time.GetTimestamp();
        var cached = _fileToken;
        if (cached.Token is null || Options.Time.GetElapsedTime(cached.ReadAt, now) > TimeSpan.FromMinutes(1))
        {
            try
            {
                cached = (File.ReadAllText(file).Trim(), now);
                _fileToken = cached;
            }
            catch (IOException e) when (cached.Token is not null)
            {
                _log($"reading token file {file}: {e.Message}; keeping the previous token");
            }
        }

        return cached.Token;
    }

    private static SocketsHttpHandler CreateHandler(KubeClientOptions options)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateServer(options, certificate, chain, errors),
        };
        if (options.TlsServerName is { } serverName)
        {
            ssl.TargetHost = serverName;
        }

        if (options.ClientCertificate is { } client)
        {
            ssl.ClientCertificates = new X509CertificateCollection { client };
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }

        return new SocketsHttpHandler
        {
            SslOptions = ssl,
            // Each informer's watch is a long-lived HTTP/2 stream: let the handler open more connections when one
            // connection's stream limit is reached rather than queueing requests behind watches.
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            // Pings find a dead connection under an idle watch (a server that vanished without closing it).
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            AutomaticDecompression = DecompressionMethods.None,
        };
    }

    private static bool ValidateServer(KubeClientOptions options, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (options.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (options.CertificateAuthorities.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0 ||
            certificate is not X509Certificate2 serving)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var ca in options.CertificateAuthorities)
        {
            chain.ChainPolicy.CustomTrustStore.Add(ca);
        }

        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(serving);
    }
}
