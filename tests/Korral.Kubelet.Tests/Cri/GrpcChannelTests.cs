using System.Net.Sockets;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Tests.Cri;

/// <summary>The channel against a scripted HTTP/2 server: framing, where the status comes from, deadlines, connection errors.</summary>
public class GrpcChannelTests
{
    private static readonly GrpcMethod Version = new("runtime.v1.RuntimeService", "Version");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task UnaryCallSendsAFramedRequestWithGrpcHeadersAndParsesTheAnswer()
    {
        var answer = new VersionResponse { Version = "0.1.0", RuntimeName = "fake", RuntimeVersion = "1.0", RuntimeApiVersion = "v1" };
        string? path = null;
        await using var server = await FakeGrpcServer.StartAsync(context =>
        {
            path = context.Request.Path;
            return FakeGrpcServer.RespondAsync(context, answer);
        });
        using var channel = new GrpcChannel(server.SocketPath);

        var response = await channel.UnaryAsync(Version, new VersionRequest { Version = "0.1.0" }, VersionResponse.Parser, Timeout, CancellationToken.None);

        Assert.Equal(answer, response);
        Assert.Equal("/runtime.v1.RuntimeService/Version", path);
        Assert.Equal(GrpcFraming.Encode(new VersionRequest { Version = "0.1.0" }), server.LastBody);
        Assert.Equal("application/grpc", server.LastHeaders!.ContentType);
        Assert.Equal("trailers", server.LastHeaders["te"]);
        Assert.Equal("30000000u", server.LastHeaders["grpc-timeout"]);
    }

    [Fact]
    public async Task TrailersOnlyErrorBecomesACriExceptionWithTheDecodedMessage()
    {
        await using var server = await FakeGrpcServer.StartAsync(context =>
            FakeGrpcServer.TrailersOnlyAsync(context, CriException.NotFound, "container \"caf%C3%A9\": not found (100%25 sure)"));
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Equal(CriException.NotFound, error.StatusCode);
        Assert.True(error.IsNotFound);
        Assert.Equal("container \"café\": not found (100% sure)", error.StatusMessage);
        Assert.Equal("/runtime.v1.RuntimeService/Version", error.Method);
        Assert.Equal("/runtime.v1.RuntimeService/Version: rpc error: code = NotFound desc = container \"café\": not found (100% sure)", error.Message);
    }

    [Fact]
    public async Task ErrorInTrailersAfterTheHeadersIsRead()
    {
        await using var server = await FakeGrpcServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            context.Response.AppendTrailer("grpc-status", "2");
            context.Response.AppendTrailer("grpc-message", "failed to create shim task");
        });
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Equal((CriException.Unknown, "failed to create shim task"), (error.StatusCode, error.StatusMessage));
    }

    [Fact]
    public async Task ErrorStatusWinsOverAMessageSentBeforeIt()
    {
        await using var server = await FakeGrpcServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(GrpcFraming.Encode(new VersionResponse { Version = "x" }));
            context.Response.AppendTrailer("grpc-status", "13");
        });
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Equal(CriException.Internal, error.StatusCode);
    }

    [Fact]
    public async Task OkWithoutAMessageIsInternal()
    {
        await using var server = await FakeGrpcServer.StartAsync(context =>
        {
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            return Task.CompletedTask;
        });
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Equal(CriException.Internal, error.StatusCode);
    }

    [Fact]
    public async Task CompressedMessageIsRejected()
    {
        await using var server = await FakeGrpcServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[] { 1, 0, 0, 0, 0 });
            context.Response.AppendTrailer("grpc-status", "0");
        });
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Contains("compressed", error.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpErrorWithoutGrpcStatusMapsToAGrpcCode()
    {
        await using var server = await FakeGrpcServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Equal(CriException.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task ServerThatDoesNotAnswerInTimeGivesDeadlineExceeded()
    {
        await using var server = await FakeGrpcServer.StartAsync(context => Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted));
        using var channel = new GrpcChannel(server.SocketPath);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.Equal(CriException.DeadlineExceeded, error.StatusCode);
        Assert.Equal("context deadline exceeded", error.StatusMessage);
        Assert.Equal("200000u", server.LastHeaders!["grpc-timeout"]);
    }

    [Fact]
    public async Task CallerCancellationIsNotADeadline()
    {
        using var received = new SemaphoreSlim(0);
        await using var server = await FakeGrpcServer.StartAsync(async context =>
        {
            received.Release();
            await Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted);
        });
        using var channel = new GrpcChannel(server.SocketPath);
        using var cancel = new CancellationTokenSource();

        var call = channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, cancel.Token);
        Assert.True(await received.WaitAsync(Timeout), "the server never saw the call");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task MissingSocketIsUnavailable()
    {
        var socket = Path.Combine(Path.GetTempPath(), "korral-no-such-" + Guid.NewGuid().ToString("n")[..8] + ".sock");
        using var channel = new GrpcChannel(socket);

        var error = await Assert.ThrowsAsync<CriException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

        Assert.Equal(CriException.Unavailable, error.StatusCode);
        Assert.Equal($"connection error: desc = \"transport: Error while dialing dial unix {socket}: connect: no such file or directory\"", error.StatusMessage);
    }

    [Fact]
    public async Task SocketWithoutAListenerIsUnavailable()
    {
        var directory = Directory.CreateTempSubdirectory("korral-grpc-");
        var socket = Path.Combine(directory.FullName, "dead.sock");
        try
        {
            // Bound but not listening: connect is refused, as on a socket file a dead containerd left behind.
            using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            bound.Bind(new UnixDomainSocketEndPoint(socket));
            using var channel = new GrpcChannel(socket);

            var error = await Assert.ThrowsAsync<CriException>(() =>
                channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));

            Assert.Equal(CriException.Unavailable, error.StatusCode);
            Assert.EndsWith("connect: connection refused\"", error.StatusMessage, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CallsAfterDisposeThrowObjectDisposed()
    {
        var channel = new GrpcChannel("/nonexistent.sock");
        channel.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            channel.UnaryAsync(Version, new VersionRequest(), VersionResponse.Parser, Timeout, CancellationToken.None));
    }
}
