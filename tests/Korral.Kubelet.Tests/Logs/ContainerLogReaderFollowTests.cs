using System.Text;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Logs;

/// <summary>Following a log: new lines as they are appended, rotation in the middle, the end when the container stops.</summary>
public sealed class ContainerLogReaderFollowTests : IDisposable
{
    private static readonly ContainerLogFollowSettings Fast = new() { PollInterval = TimeSpan.FromMilliseconds(10), StateCheckPeriod = TimeSpan.Zero };

    private readonly TempDir _dir = new();
    private volatile bool _running = true;

    public void Dispose() => _dir.Dispose();

    private ValueTask<bool> IsRunningAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_running);

    private static void Append(string path, params string[] texts)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        foreach (var text in texts)
        {
            file.Write(Encoding.UTF8.GetBytes($"2026-01-01T10:00:00.000000000Z stdout F {text}\n"));
        }
    }

    [Fact]
    public async Task Follow_writes_appended_lines_and_ends_once_the_container_stopped()
    {
        var log = _dir.File("0.log");
        Append(log, "one", "two", "three");
        var output = new CapturingStream();
        var reading = new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true, TailLines = 1 }, output, IsRunningAsync, CancellationToken.None);

        await output.WaitForAsync(t => t == "three\n", "the tail line");
        Append(log, "four");
        await output.WaitForAsync(t => t == "three\nfour\n", "the appended line");
        Assert.False(reading.IsCompleted);

        // The container writes its last words and stops: they are still copied before the stream ends.
        Append(log, "five");
        _running = false;
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("three\nfour\nfive\n", output.Text);
    }

    [Fact]
    public async Task Follow_goes_on_with_the_new_file_after_a_rotation()
    {
        var log = _dir.File("0.log");
        Append(log, "before");
        var output = new CapturingStream();
        var reading = new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, output, IsRunningAsync, CancellationToken.None);
        await output.WaitForAsync(t => t == "before\n", "the first line");

        // The rotator renames the file; the runtime writes to the old file until it reopens, which creates a new one.
        File.Move(log, log + ".20260101-100000");
        Append(log + ".20260101-100000", "late in the old file");
        Append(log, "in the new file");
        await output.WaitForAsync(t => t.Contains("in the new file", StringComparison.Ordinal), "the line of the new file");
        Append(log, "more");
        await output.WaitForAsync(t => t.EndsWith("more\n", StringComparison.Ordinal), "a second line of the new file");

        _running = false;
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("before\nlate in the old file\nin the new file\nmore\n", output.Text);
    }

    [Fact]
    public async Task Follow_stays_on_the_old_file_until_the_runtime_has_reopened()
    {
        var log = _dir.File("0.log");
        Append(log, "before");
        var output = new CapturingStream();
        var reading = new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, output, IsRunningAsync, CancellationToken.None);
        await output.WaitForAsync(t => t == "before\n", "the first line");

        File.Move(log, log + ".20260101-100000");
        Append(log + ".20260101-100000", "still the old file");
        await output.WaitForAsync(t => t == "before\nstill the old file\n", "the line written after the rename");
        Append(log, "new file");
        await output.WaitForAsync(t => t.EndsWith("new file\n", StringComparison.Ordinal), "the new file");

        _running = false;
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("before\nstill the old file\nnew file\n", output.Text);
    }

    [Fact]
    public async Task Follow_starts_over_when_the_file_is_truncated_in_place()
    {
        var log = _dir.File("0.log");
        Append(log, "a rather long first line", "and a second one");
        var output = new CapturingStream();
        var reading = new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, output, IsRunningAsync, CancellationToken.None);
        await output.WaitForAsync(t => t.EndsWith("second one\n", StringComparison.Ordinal), "the first lines");

        using (var file = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(0);
        }

        Append(log, "after");
        await output.WaitForAsync(t => t.EndsWith("after\n", StringComparison.Ordinal), "the line after truncation");
        _running = false;
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Follow_of_a_stopped_container_reads_to_the_end_and_returns()
    {
        var log = _dir.File("0.log");
        Append(log, "one", "two");
        _running = false;
        var output = new CapturingStream();

        await new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, output, IsRunningAsync, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("one\ntwo\n", output.Text);

        // No running check at all (a previous attempt): the same.
        var again = new CapturingStream();
        await new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, again, null, CancellationToken.None);
        Assert.Equal("one\ntwo\n", again.Text);
    }

    [Fact]
    public async Task Follow_ends_when_cancelled()
    {
        var log = _dir.File("0.log");
        Append(log, "one");
        var output = new CapturingStream();
        using var cancel = new CancellationTokenSource();
        var reading = new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, output, IsRunningAsync, cancel.Token);
        await output.WaitForAsync(t => t == "one\n", "the line");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Follow_flushes_before_waiting_so_lines_leave_at_once()
    {
        var log = _dir.File("0.log");
        File.WriteAllText(log, "");
        var output = new CapturingStream();
        var reading = new ContainerLogReader(Fast).ReadAsync(log, new ContainerLogOptions { Follow = true }, output, IsRunningAsync, CancellationToken.None);

        // Flushed once the file is open, before any line: a server sends its headers straight away.
        await output.WaitUntilAsync(() => output.Flushes > 0, "the first flush");
        Append(log, "one");
        await output.WaitForAsync(t => t == "one\n", "the line");
        var flushes = output.Flushes;
        await output.WaitUntilAsync(() => output.Flushes > flushes, "a flush after the line");

        _running = false;
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Missing_log_file_fails_before_writing()
    {
        var output = new CapturingStream();
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            new ContainerLogReader().ReadAsync(_dir.File("missing.log"), new ContainerLogOptions(), output, null, CancellationToken.None));
        Assert.Equal(0, output.Flushes);
        Assert.Equal("", output.Text);
    }

    [Fact]
    public async Task Tail_reads_only_the_end_of_a_huge_file()
    {
        // A sparse 64 GiB file: reading it from the start would take minutes; the tail is found from the end.
        var log = _dir.File("0.log");
        using (var file = new FileStream(log, FileMode.Create, FileAccess.Write))
        {
            file.SetLength(64L << 30);
            file.Position = file.Length;
            file.Write("\n2026-01-01T10:00:00Z stdout F second to last\n2026-01-01T10:00:01Z stdout F last\n"u8);
        }

        var output = new CapturingStream();
        await new ContainerLogReader().ReadAsync(log, new ContainerLogOptions { TailLines = 2 }, output, null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("second to last\nlast\n", output.Text);
    }

    [Fact]
    public async Task Lines_longer_than_the_read_buffer_come_out_whole()
    {
        var log = _dir.File("0.log");
        var longText = new string('x', 300_000);
        Append(log, longText, "short");
        var output = new CapturingStream();
        await new ContainerLogReader().ReadAsync(log, new ContainerLogOptions(), output, null, CancellationToken.None);
        Assert.Equal(longText + "\nshort\n", output.Text);
    }
}
