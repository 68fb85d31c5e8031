using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Korral.Streaming.RemoteCommand;

namespace Korral.Streaming.Tests.RemoteCommand;

/// <summary>kubectl 1.30+ exec/attach (WebSocket v5) through the translator to a SPDY container runtime.</summary>
public sealed class WebSocketToSpdyTests
{
    private static readonly byte[] Success = """{"metadata":{},"status":"Success"}"""u8.ToArray();

    private static readonly byte[] ExitCode3 =
        """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"""u8.ToArray();

    [Theory]
    [InlineData(StreamProtocols.V5)]
    [InlineData(StreamProtocols.V4)]
    public async Task OutputArrivesOnItsChannelsBeforeTheStatusAndTheClose(string protocol)
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: false, Stdout: true, Stderr: true, Tty: false), protocol);
        await harness.AcceptStreamsAsync(3);
        var stdout = new byte[4 * 1024 * 1024];
        new Random(5).NextBytes(stdout);

        var receiving = harness.ReceiveAllAsync();
        await harness["stdout"].WriteAsync(stdout.AsMemory(0, 1000));
        await harness["stderr"].WriteAsync("warning: something\n"u8.ToArray());
        await harness["stdout"].WriteAsync(stdout.AsMemory(1000));
        await harness.FinishAsync(Success);
        var received = await receiving;

        Assert.Equal(["error", "stdout", "stderr"], harness.Streams.Select(s => s.Type));
        Assert.Equal(stdout, received.Channel(1));
        Assert.Equal("warning: something\n", Encoding.UTF8.GetString(received.Channel(2)));
        Assert.Equal(3, received.Messages[^1].Channel);
        Assert.Equal(Success, received.Messages[^1].Data);
        Assert.Single(received.Messages, m => m.Channel == 3);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, received.CloseStatus);
        await harness.Session.WaitAsync(ExecHarness.Patience);
    }

    [Fact]
    public async Task StdinIsCopiedAndItsCloseMessageEndsIt()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: true, Stdout: true, Stderr: true, Tty: false));
        await harness.AcceptStreamsAsync(4);
        var receiving = harness.ReceiveAllAsync();

        await harness.SendAsync(0, "hello-"u8.ToArray());
        await harness.SendAsync(0, "stdin\n"u8.ToArray());
        await harness.SendAsync(255, 0);
        // Like `cat`: the runtime echoes stdin until its end, then the command ends.
        var stdin = await ExecHarness.ReadToEndAsync(harness["stdin"]);
        await harness["stdout"].WriteAsync(stdin);
        await harness.FinishAsync(Success);
        var received = await receiving;

        Assert.Equal(["error", "stdin", "stdout", "stderr"], harness.Streams.Select(s => s.Type));
        Assert.Equal("hello-stdin\n", Encoding.UTF8.GetString(received.Channel(1)));
        Assert.Equal(Success, received.Channel(3));
    }

    [Fact]
    public async Task ATerminalGetsAResizeStreamAndNoStderr()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: true, Stdout: true, Stderr: false, Tty: true));
        await harness.AcceptStreamsAsync(4);
        var receiving = harness.ReceiveAllAsync();

        await harness.SendAsync(4, Encoding.ASCII.GetBytes("{\"Width\":120,\"Height\":40}\n"));
        await harness.SendAsync(0, "ls\r"u8.ToArray());
        await harness.SendAsync(4, Encoding.ASCII.GetBytes("{\"Width\":100,\"Height\":30}\n"));
        var resizes = new StringBuilder();
        var buffer = new byte[256];
        while (resizes.ToString().Count(c => c == '\n') < 2)
        {
            var n = await harness["resize"].ReadAsync(buffer).AsTask().WaitAsync(ExecHarness.Patience);
            Assert.NotEqual(0, n);
            resizes.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        var typed = new byte[3];
        await harness["stdin"].ReadAsync(typed).AsTask().WaitAsync(ExecHarness.Patience);
        await harness.FinishAsync(Success);
        await receiving;

        Assert.Equal(["error", "stdin", "stdout", "resize"], harness.Streams.Select(s => s.Type));
        Assert.Equal("{\"Width\":120,\"Height\":40}\n{\"Width\":100,\"Height\":30}\n", resizes.ToString());
        Assert.Equal("ls\r", Encoding.ASCII.GetString(typed));
    }

    [Fact]
    public async Task ANonZeroExitStatusReachesTheStatusChannelAsIs()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: false, Stdout: true, Stderr: true, Tty: false));
        await harness.AcceptStreamsAsync(3);
        var receiving = harness.ReceiveAllAsync();

        await harness["stderr"].WriteAsync("sh: boom\n"u8.ToArray());
        await harness.FinishAsync(ExitCode3, finishOutput: false);
        var received = await receiving;

        Assert.Equal("sh: boom\n", Encoding.UTF8.GetString(received.Channel(2)));
        Assert.Equal(ExitCode3, received.Channel(3));
        using var status = JsonDocument.Parse(received.Channel(3));
        Assert.Equal("3", status.RootElement.GetProperty("details").GetProperty("causes")[0].GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, received.CloseStatus);
    }

    [Fact]
    public async Task ARuntimeThatEndsWithoutStatusMeansSuccess()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: false, Stdout: true, Stderr: false, Tty: false));
        await harness.AcceptStreamsAsync(2);
        var receiving = harness.ReceiveAllAsync();

        await harness["stdout"].WriteAsync("partial"u8.ToArray());
        await harness.Runtime.DisposeAsync();
        var received = await receiving;

        Assert.Equal("partial", Encoding.UTF8.GetString(received.Channel(1)));
        Assert.Equal(Success, received.Channel(3));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, received.CloseStatus);
    }

    [Fact]
    public async Task AStreamTheRuntimeRefusesEndsTheSessionWithAnInternalError()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: false, Stdout: true, Stderr: false, Tty: false));
        await harness.AcceptStreamsAsync(1);
        var receiving = harness.ReceiveAllAsync();

        var stdout = await harness.Runtime.AcceptStreamAsync().WaitAsync(ExecHarness.Patience);
        await stdout.ResetAsync(Streaming.Spdy.SpdyRstStatus.RefusedStream);
        var received = await receiving;

        using var status = JsonDocument.Parse(received.Channel(3));
        Assert.Equal("Failure", status.RootElement.GetProperty("status").GetString());
        Assert.Equal("InternalError", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(500, status.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("RefusedStream", status.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, received.CloseStatus);
    }

    [Fact]
    public async Task AClientThatLeavesTearsDownTheRuntimeSession()
    {
        var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: true, Stdout: true, Stderr: true, Tty: false));
        await using (harness)
        {
            await harness.AcceptStreamsAsync(4);
            var stdin = ExecHarness.ReadToEndAsync(harness["stdin"]);

            harness.Client.Abort();
            await harness.Client.ReceiveAsync(new byte[1], CancellationToken.None).ContinueWith(_ => { });

            await harness.Runtime.Completion.WaitAsync(ExecHarness.Patience);
            Assert.Empty(await stdin);
            await harness.Session.WaitAsync(ExecHarness.Patience);
        }
    }

    [Fact]
    public async Task AClientThatClosesIsAnsweredAndTheRuntimeReleased()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: true, Stdout: true, Stderr: true, Tty: false));
        await harness.AcceptStreamsAsync(4);

        await harness.Client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(ExecHarness.Patience);

        Assert.Equal(WebSocketState.Closed, harness.Client.State);
        await harness.Runtime.Completion.WaitAsync(ExecHarness.Patience);
        await harness.Session.WaitAsync(ExecHarness.Patience);
    }

    [Fact]
    public async Task ATextMessageEndsTheSession()
    {
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: true, Stdout: true, Stderr: true, Tty: false));
        await harness.AcceptStreamsAsync(4);
        var receiving = harness.ReceiveAllAsync();

        await harness.Client.SendAsync("0hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var received = await receiving;

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, received.CloseStatus);
        Assert.DoesNotContain(received.Messages, m => m.Channel == 3);
        await harness.Runtime.Completion.WaitAsync(ExecHarness.Patience);
    }

    [Fact]
    public async Task CancellingTheSessionClosesTheRuntimeConnection()
    {
        using var cancel = new CancellationTokenSource();
        await using var harness = await ExecHarness.StartAsync(new RemoteCommandStreams(Stdin: false, Stdout: true, Stderr: false, Tty: false), cancellationToken: cancel.Token);
        await harness.AcceptStreamsAsync(2);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Session.WaitAsync(ExecHarness.Patience));
        await harness.Runtime.Completion.WaitAsync(ExecHarness.Patience);
    }
}
