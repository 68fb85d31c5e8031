using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Korral.E2E.Infrastructure;

/// <summary>
/// A kubectl process that keeps running (`get -w`, or a long `apply`) whose stdout lines a test reads as they arrive.
/// Disposing kills it.
/// </summary>
public sealed class KubectlStream : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<string> _seen = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _stderrLock = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal KubectlStream(ProcessStartInfo start, string commandLine)
    {
        CommandLine = commandLine;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                _stdoutClosed.TrySetResult();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stderrClosed.TrySetResult();
                return;
            }

            lock (_stderrLock)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string CommandLine { get; }

    /// <summary>Every stdout line read so far by <see cref="WaitForLineAsync"/>.</summary>
    public IReadOnlyList<string> Seen => _seen;

    public string Stderr
    {
        get
        {
            lock (_stderrLock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Reads stdout lines until one matches; lines before it are consumed (and kept in <see cref="Seen"/>). Fails the test
    /// with everything seen if kubectl exits or the timeout passes first.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string description, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Kubectl.DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cancel.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    _seen.Add(line);
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Assert.Fail($"timed out after {limit.TotalSeconds} s waiting for {description}\n{Describe()}");
        }

        await _process.WaitForExitAsync();
        Assert.Fail($"kubectl exited (code {_process.ExitCode}) before printing {description}\n{Describe()}");
        return "";
    }

    /// <summary>Waits for kubectl to exit on its own and returns what it printed (stdout lines not yet read included).</summary>
    public async Task<KubectlResult> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? Kubectl.DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out after {limit.TotalSeconds} s waiting for kubectl to exit\n{Describe()}");
        }

        while (_lines.Reader.TryRead(out var line))
        {
            _seen.Add(line);
        }

        return new KubectlResult(CommandLine, _process.ExitCode, string.Join('\n', _seen) + "\n", Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private string Describe() =>
        $"$ {CommandLine}\n--- stdout so far ---\n{string.Join('\n', _seen)}\n--- stderr so far ---\n{Stderr}";
}
