using Google.Protobuf;
using Korral.Kubelet.Cri;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Korral.Kubelet.Tests.Cri;

/// <summary>
/// A gRPC server in miniature on a unix socket (Kestrel, HTTP/2 only, so h2c with prior knowledge as containerd serves
/// it), whose answer per call the test chooses: for the framing and error paths containerd does not produce on demand.
/// </summary>
internal sealed class FakeGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private FakeGrpcServer(WebApplication app, string directory, string socketPath)
    {
        _app = app;
        _directory = directory;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>The request headers of the last call.</summary>
    public IHeaderDictionary? LastHeaders { get; private set; }

    /// <summary>The request body of the last call, framing included.</summary>
    public byte[]? LastBody { get; private set; }

    public static async Task<FakeGrpcServer> StartAsync(Func<HttpContext, Task> handler)
    {
        var directory = Path.Combine(Path.GetTempPath(), "korral-grpc-" + Guid.NewGuid().ToString("n")[..10]);
        Directory.CreateDirectory(directory);
        var socket = Path.Combine(directory, "grpc.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        FakeGrpcServer? server = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            server!.LastHeaders = context.Request.Headers;
            server.LastBody = body.ToArray();
            await handler(context);
        });
        server = new FakeGrpcServer(app, directory, socket);
        await app.StartAsync();
        return server;
    }

    /// <summary>Answers with one message and grpc-status 0 in the trailers, as a gRPC server does.</summary>
    public static async Task RespondAsync(HttpContext context, IMessage message)
    {
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(GrpcFraming.Encode(message));
        context.Response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>An error "trailers-only": grpc-status in the header block, no body.</summary>
    public static Task TrailersOnlyAsync(HttpContext context, int code, string encodedMessage)
    {
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = encodedMessage;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
