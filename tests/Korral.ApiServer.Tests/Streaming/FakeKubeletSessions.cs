using System.Net.WebSockets;
using Korral.Streaming.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>What a fake kubelet saw of an upgrade request: method, target and the negotiation headers.</summary>
public sealed record SeenRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string[]> Headers, string? ClientSubject)
{
    public string[] Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];

    public static SeenRequest Of(HttpContext context) => new(
        context.Request.Method,
        context.Request.Path + context.Request.QueryString,
        context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
        context.Connection.ClientCertificate?.Subject);
}

/// <summary>Handlers for <see cref="PodLog.FakeKubelet"/> that play the kubelet's side of an upgrade.</summary>
public static class FakeKubeletSessions
{
    /// <summary>Switches with the given response headers and hands the raw connection to <paramref name="session"/>.</summary>
    public static Func<HttpContext, Task> Switch(TaskCompletionSource<SeenRequest> seen, IReadOnlyList<(string Name, string Value)> headers,
        Func<Stream, Task> session) => async context =>
    {
        seen.TrySetResult(SeenRequest.Of(context));
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        var stream = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        await session(stream);
    };

    /// <summary>Sends back every byte it gets until the caller hangs up.</summary>
    public static async Task EchoAsync(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        int n;
        try
        {
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, n));
                await stream.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The API server let the connection go.
        }
    }

    /// <summary>Reads and drops everything until the caller hangs up.</summary>
    public static async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // The API server let the connection go.
        }
    }

    /// <summary>Accepts a WebSocket with <paramref name="protocol"/> and sends every message back, same type.</summary>
    public static Func<HttpContext, Task> WebSocketEcho(TaskCompletionSource<SeenRequest> seen, string protocol) => async context =>
    {
        seen.TrySetResult(SeenRequest.Of(context));
        using var socket = await WebSocketHandshake.AcceptAsync(context, protocol);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The API server let the connection go.
        }
    };

    /// <summary>Refuses with a status and a plain-text body, as a kubelet or the runtime's streaming server does.</summary>
    public static Func<HttpContext, Task> Refuse(TaskCompletionSource<SeenRequest> seen, int code, string text) => async context =>
    {
        seen.TrySetResult(SeenRequest.Of(context));
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text);
    };
}
