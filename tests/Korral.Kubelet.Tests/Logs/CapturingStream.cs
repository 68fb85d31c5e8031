using System.Text;

namespace Korral.Kubelet.Tests.Logs;

/// <summary>
/// An output stream that keeps what was written and lets a test wait until the text satisfies a condition (no sleeps:
/// each write wakes the waiters).
/// </summary>
public sealed class CapturingStream : Stream
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _bytes = new();
    private int _flushes;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Flushes
    {
        get
        {
            lock (_lock)
            {
                return _flushes;
            }
        }
    }


    public string Text
    {
        get
        {
            lock (_lock)
            {
                return Encoding.UTF8.GetString(_bytes.ToArray());
            }
        }
    }

    /// <summary>Waits until the text written so far satisfies <paramref name="condition"/>; fails with the text after the timeout.</summary>
    public Task WaitForAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => condition(Text), what, timeout);

    /// <summary>Waits until <paramref name="condition"/> holds, checking it after each write or flush.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}; output so far:\n{Text}");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            _bytes.Write(buffer);
        }

        Signal();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_lock)
        {
            _flushes++;
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
