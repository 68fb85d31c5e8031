using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>
/// grpc.health.v1.Health in miniature: Kestrel on a loopback port, HTTP/2 only (h2c with prior knowledge, as gRPC
/// servers serve plaintext), the protobuf written by hand. It knows the services in <see cref="Statuses"/> (the status
/// each answers), says NOT_FOUND "unknown service" for any other, UNIMPLEMENTED for any other method, and can be made to
/// answer late (<see cref="Delay"/>). Keeps what it was asked.
/// </summary>
public sealed class GrpcHealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string Service, string UserAgent, string ContentType)> _calls = new();

    private GrpcHealthServer(WebApplication app) => _app = app;

    /// <summary>Service name → ServingStatus (1 SERVING, 2 NOT_SERVING, …); "" is the server as a whole.</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

    /// <summary>False: the server does not serve grpc.health.v1.Health at all (UNIMPLEMENTED).</summary>
    public bool Implemented { get; set; } = true;

    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Delay { get; set; }

    public int Port { get; private set; }

    public IReadOnlyList<(string Path, string Service, string UserAgent, string ContentType)> Calls => [.. _calls];

    /// <summary>Starts on a free port of <paramref name="address"/> (loopback unless told).</summary>
    public static async Task<GrpcHealthServer> StartAsync(IPAddress? address = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address ?? IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var server = new GrpcHealthServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var service = ServiceOf(body.ToArray());
        _calls.Enqueue((context.Request.Path.Value ?? "", service, context.Request.Headers.UserAgent.ToString(), context.Request.ContentType ?? ""));
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        context.Response.ContentType = "application/grpc";
        if (!Implemented || context.Request.Path != "/grpc.health.v1.Health/Check")
        {
            // grpc-go's answer for a service it does not serve.
            TrailersOnly(context, 12, $"unknown service {context.Request.Path.Value?.Split('/')[1]}");
            return;
        }

        if (!Statuses.TryGetValue(service, out var status))
        {
            TrailersOnly(context, 5, "unknown service");
            return;
        }

        // HealthCheckResponse { status = 1 }: tag 0x08 and the varint (absent when 0, as proto3 writes it).
        byte[] message = status == 0 ? [] : [0x08, (byte)status];
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static void TrailersOnly(HttpContext context, int code, string message)
    {
        context.Response.Headers["grpc-status"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }

    /// <summary>HealthCheckRequest.service from a framed request (field 1, length-delimited).</summary>
    private static string ServiceOf(byte[] frame)
    {
        if (frame.Length <= 5)
        {
            return "";
        }

        var input = new CodedInputStream(frame, 5, frame.Length - 5);
        var service = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == 10)
            {
                service = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return service;
    }
}
