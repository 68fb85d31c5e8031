using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>
/// An httpGet probe as upstream's HTTP prober does it: GET scheme://host:port/path (host defaults to the pod IP, path
/// to "/"), the probe's httpHeaders (a Host header sets the request's host), User-Agent kube-probe/1.33 and Accept */*
/// unless the probe sets them (an empty value removes them), no keep-alive, no proxy, certificates not verified.
/// Redirects are followed on the same host (up to 10); a redirect elsewhere is not, and its 3xx answer is a success
/// with a warning. 200-399 succeeds (a 3xx with a warning), anything else fails with "HTTP probe failed with
/// statuscode: N"; at most 10 KiB of the body is read; the whole exchange within timeoutSeconds.
/// </summary>
internal sealed class HttpGetProbe(HttpClient http)
{
    /// <summary>Upstream reads at most this much of a probe's response body.</summary>
    public const int MaxBodyLength = 10 * 1024;

    /// <summary>Upstream's limit on same-host redirects (Go's default).</summary>
    public const int MaxRedirects = 10;

    /// <summary>An HTTP client fit for probes: no certificate checks, no proxy, no connection reuse, redirects left to the probe.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        PooledConnectionLifetime = TimeSpan.Zero,
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<ProbeOutcome> RunAsync(HTTPGetAction get, Container container, string? podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (port, portError) = ProbePort.Resolve(get.Port, container);
        if (portError is not null)
        {
            return ProbeOutcome.Errored(portError);
        }

        var scheme = string.IsNullOrEmpty(get.Scheme) ? "http" : get.Scheme.ToLowerInvariant();
        var host = string.IsNullOrEmpty(get.Host) ? podIp ?? "127.0.0.1" : get.Host;
        var path = get.Path ?? "";
        if (!Uri.TryCreate($"{scheme}://{GoText.HostPort(host, port)}{(path.StartsWith('/') || path.Length == 0 ? "" : "/")}{path}", UriKind.Absolute, out var url))
        {
            return ProbeOutcome.Failed($"parse \"{scheme}://{GoText.HostPort(host, port)}{path}\": invalid URL");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var current = url;
        Uri? referer = null;
        var hostOverride = HeaderValue(get, "Host");
        var body = false;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = Request(get, current, hostOverride, referer);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var code = (int)response.StatusCode;
                if (code is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    var next = new Uri(current, location);
                    // Upstream follows redirects on the original host only; the 3xx of any other ends the probe (a warning).
                    if (string.Equals(next.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase))
                    {
                        if (redirects + 1 > MaxRedirects)
                        {
                            return ProbeOutcome.Failed($"Get {GoText.Quote(location.OriginalString)}: stopped after {MaxRedirects} redirects");
                        }

                        // As Go's client: a custom Host header survives a relative redirect only.
                        hostOverride = location.IsAbsoluteUri ? null : hostOverride;
                        referer = current.Scheme == "https" && next.Scheme == "http" ? null : current;
                        current = next;
                        continue;
                    }
                }

                body = true;
                var text = await ReadBodyAsync(response, deadline.Token);
                if (code is >= 200 and < 400)
                {
                    return code >= 300 ? ProbeOutcome.Warned($"Probe terminated redirects, Response body: {text}") : ProbeOutcome.Passed(text);
                }

                // Upstream keeps the body out of the message on purpose (it may hold secrets).
                return ProbeOutcome.Failed($"HTTP probe failed with statuscode: {code}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return body
                ? ProbeOutcome.Errored("context deadline exceeded (Client.Timeout or context cancellation while reading body)", ProbeResult.Failure)
                : ProbeOutcome.Failed($"Get {GoText.Quote(current.OriginalString)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e) when (!body)
        {
            return ProbeOutcome.Failed($"Get {GoText.Quote(current.OriginalString)}: {Describe(e, current)}");
        }
        catch (Exception e) when (body && e is HttpRequestException or IOException)
        {
            return ProbeOutcome.Errored(e.Message, ProbeResult.Failure);
        }
    }

    private static HttpRequestMessage Request(HTTPGetAction get, Uri url, string? host, Uri? referer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11 };
        var headers = request.Headers;
        var userAgent = false;
        var accept = false;
        foreach (var header in get.HttpHeaders ?? [])
        {
            var name = header.Name ?? "";
            var value = header.Value ?? "";
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            userAgent |= name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase);
            accept |= name.Equals("Accept", StringComparison.OrdinalIgnoreCase);
            // An empty value removes the default of that name (Go sends no empty User-Agent; upstream drops an empty Accept).
            if (value.Length > 0)
            {
                headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!userAgent)
        {
            headers.TryAddWithoutValidation("User-Agent", Prober.UserAgent);
        }

        if (!accept)
        {
            headers.TryAddWithoutValidation("Accept", "*/*");
        }

        if (!string.IsNullOrEmpty(host))
        {
            headers.Host = host;
        }

        if (referer is not null)
        {
            headers.Referrer = referer;
        }

        // Upstream's transport disables keep-alive, which Go announces on every request.
        headers.ConnectionClose = true;
        return request;
    }

    private static string? HeaderValue(HTTPGetAction get, string name) =>
        get.HttpHeaders?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyLength];
            var length = await stream.ReadAtLeastAsync(buffer, MaxBodyLength, throwOnEndOfStream: false, cancellationToken);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    /// <summary>The failure of a request before any answer, in Go's words where users know them.</summary>
    private static string Describe(HttpRequestException e, Uri url)
    {
        if (e.InnerException is SocketException socket)
        {
            return GoText.Dial(socket, url.HostNameType == UriHostNameType.IPv6 ? url.DnsSafeHost : url.IdnHost, url.Port);
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => "EOF",
            HttpRequestError.InvalidResponse => $"net/http: HTTP/1.x transport connection broken: {e.Message}",
            _ => e.Message,
        };
    }
}
