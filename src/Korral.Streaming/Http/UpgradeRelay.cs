using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Korral.Streaming.Http;

/// <summary>
/// The server half of an upgrade-aware proxy (the API server in front of a kubelet, a kubelet in front of containerd's
/// streaming server): which of the caller's headers travel to the next hop, and how that hop's answer is handed back —
/// 101 with the upgraded connection piped through, or the refusal as it came (kubectl shows its text).
/// </summary>
public static class UpgradeRelay
{
    /// <summary>Request headers that negotiate the protocol; everything else stays at this hop.</summary>
    private static readonly string[] ForwardedRequestHeaders =
    [
        "Upgrade", "Connection", "X-Stream-Protocol-Version", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
    ];

    /// <summary>Response headers of a switch that the caller needs to see.</summary>
    private static readonly string[] RelayedResponseHeaders =
    [
        "Upgrade", "X-Stream-Protocol-Version", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
    ];

    /// <summary>Whether the request asks to switch protocols (HTTP/1.1 with Connection: Upgrade).</summary>
    public static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;

    /// <summary>The caller's negotiation headers, each value on its own line as kubectl sends them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> RequestHeaders(HttpRequest request)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var name in ForwardedRequestHeaders)
        {
            foreach (var value in request.Headers[name])
            {
                if (!string.IsNullOrEmpty(value))
                {
                    headers.Add(new(name, value));
                }
            }
        }

        return headers;
    }

    /// <summary>
    /// Answers the caller with the next hop's answer. After a switch, pipes the two connections until either ends; the
    /// response (and its connection) is disposed either way.
    /// </summary>
    public static async Task RespondAsync(HttpContext context, UpgradeResponse upstream, CancellationToken cancellationToken)
    {
        await using var _ = upstream;
        if (!upstream.Switched)
        {
            context.Response.StatusCode = upstream.StatusCode;
            if (upstream.Header("Content-Type") is { } contentType)
            {
                context.Response.ContentType = contentType;
            }

            await context.Response.Body.WriteAsync(upstream.Body, cancellationToken);
            return;
        }

        foreach (var name in RelayedResponseHeaders)
        {
            if (upstream.Header(name) is { } value)
            {
                context.Response.Headers[name] = value;
            }
        }

        var feature = context.Features.Get<IHttpUpgradeFeature>() ?? throw new InvalidOperationException("the connection cannot be upgraded");
        await using var client = await feature.UpgradeAsync();
        await DuplexPipe.RunAsync(client, upstream.Stream!, cancellationToken);
    }
}
