using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Korral.Streaming.WebSockets;

/// <summary>
/// The server side of the WebSocket opening handshake (RFC 6455 §4.2) for hops that terminate the WebSocket themselves
/// (the API server translating v5 exec to SPDY, unwrapping tunnelled port-forward) rather than relaying it.
/// </summary>
public static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>kubectl's client pings every 5 s; the server answers them and pings idle connections itself.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    public static bool IsWebSocketRequest(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>The subprotocols the client offered, in its order of preference.</summary>
    public static IReadOnlyList<string> OfferedProtocols(HttpRequest request) =>
        request.Headers["Sec-WebSocket-Protocol"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    /// <summary>The Sec-WebSocket-Accept value for a client's key.</summary>
    public static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + AcceptGuid)));

    /// <summary>Switches to WebSocket with the chosen subprotocol and returns the server end.</summary>
    /// <exception cref="InvalidOperationException">The request is not a WebSocket upgrade.</exception>
    public static async Task<WebSocket> AcceptAsync(HttpContext context, string protocol)
    {
        var feature = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (feature is not { IsUpgradableRequest: true } || key.Length == 0 || !IsWebSocketRequest(context.Request))
        {
            throw new InvalidOperationException("not a WebSocket upgrade request");
        }

        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = AcceptValue(key);
        context.Response.Headers["Sec-WebSocket-Protocol"] = protocol;
        var stream = await feature.UpgradeAsync();
        // The subprotocol is named in the answer only: .NET's WebSocketCreationOptions refuses names that are no RFC 6455
        // token, such as "SPDY/3.1+portforward.k8s.io", and the server end has no use for it.
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = KeepAlive });
    }
}
