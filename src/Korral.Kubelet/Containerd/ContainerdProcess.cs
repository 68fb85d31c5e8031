using System.Diagnostics;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Containerd;

/// <summary>
/// The node's containerd as a child process, as k3s runs its own. Stopping it leaves the containers running in their
/// shims, so a restarted kubelet adopts them. A containerd that already answers on the socket (left running by an earlier
/// korral) is reused instead of starting a second one on the same socket.
/// </summary>
public sealed class ContainerdProcess : IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process? _process;
    private readonly ContainerdOptions _options;
    private readonly Action<string> _log;
    private int _disposed;

    private ContainerdProcess(ContainerdOptions options, Action<string> log, Process? process, VersionResponse version)
    {
        _options = options;
        _log = log;
        _process = process;
        Version = version;
    }

    /// <summary>The socket the CRI client dials.</summary>
    public string SocketPath => _options.Socket;

    /// <summary>True when a containerd was already answering and this instance neither started nor will stop it.</summary>
    public bool Reused => _process is null;

    /// <summary>The child's process id; null when reused.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The runtime's answer to CRI Version once it was ready.</summary>
    public VersionResponse Version { get; }

    /// <summary>
    /// Writes the config and starts containerd (or reuses one answering on the socket), then waits until its CRI plugin
    /// answers Version. Throws <see cref="InvalidOperationException"/> when the binary is missing, or when containerd exits
    /// or does not answer within <see cref="ContainerdOptions.StartTimeout"/> (the message ends with its log's last lines).
    /// </summary>
    public static async Task<ContainerdProcess> StartAsync(ContainerdOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        using var probe = new CriClient(options.Socket, ProbeTimeout, ProbeTimeout);
        if (File.Exists(options.Socket) && await TryVersionAsync(probe, cancellationToken).ConfigureAwait(false) is { } running)
        {
            log($"containerd {running.RuntimeVersion} already answers on {options.Socket}; reusing it");
            return new ContainerdProcess(options, log, process: null, running);
        }

        var binary = FindBinary(options.BinaryPath)
            ?? throw new InvalidOperationException($"containerd not found: install the containerd package (scripts/up does); looked for \"{options.BinaryPath}\"");

        foreach (var directory in new[] { options.Root, options.State, options.CniConfDir, options.RegistryConfigPath })
        {
            Directory.CreateDirectory(directory);
        }

        AtomicFile.WriteIfChanged(options.ConfigPath, ContainerdConfig.Render(options));
        Directory.CreateDirectory(Path.GetDirectoryName(options.LogFile)!);
        await File.AppendAllTextAsync(options.LogFile, $"--- korral starts {binary} --config {options.ConfigPath} at {DateTimeOffset.UtcNow:O}\n", cancellationToken)
            .ConfigureAwait(false);

        var process = Launch(binary, options);
        log($"started containerd (pid {process.Id}) with {options.ConfigPath}, socket {options.Socket}, log {options.LogFile}");
        try
        {
            var version = await WaitUntilReadyAsync(process, probe, options, cancellationToken).ConfigureAwait(false);
            log($"containerd {version.RuntimeVersion} ready on {options.Socket}");
            return new ContainerdProcess(options, log, process, version);
        }
        catch
        {
            await StopAsync(process, options.StopTimeout).ConfigureAwait(false);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops a containerd this instance started (SIGTERM, then SIGKILL after the stop timeout); a reused one is left running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _process is null)
        {
            return;
        }

        await StopAsync(_process, _options.StopTimeout).ConfigureAwait(false);
        _log($"containerd (pid {_process.Id}) stopped");
        _process.Dispose();
    }

    /// <summary>The last lines of a log file, for error messages; empty when it cannot be read.</summary>
    public static string LogTail(string path, int lines = 20)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            const int window = 8192;
            stream.Seek(Math.Max(0, stream.Length - window), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd().TrimEnd('\n').Split('\n');
            return string.Join('\n', text.TakeLast(lines));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static Process Launch(string binary, ContainerdOptions options)
    {
        // containerd writes straight into the log file (not through pipes to this process) so it outlives a korral that
        // crashes; exec keeps the pid containerd's own.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            ArgumentList = { "-c", "exec \"$0\" --config \"$1\" </dev/null >>\"$2\" 2>&1", binary, options.ConfigPath, options.LogFile },
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
    }

    private static async Task<VersionResponse> WaitUntilReadyAsync(Process process, CriClient probe, ContainerdOptions options, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"containerd exited with code {process.ExitCode} before it answered on {options.Socket}; the end of {options.LogFile}:\n{LogTail(options.LogFile)}");
            }

            if (File.Exists(options.Socket) && await TryVersionAsync(probe, cancellationToken).ConfigureAwait(false) is { } version)
            {
                return version;
            }

            if (deadline.Elapsed > options.StartTimeout)
            {
                throw new InvalidOperationException(
                    $"containerd did not answer on {options.Socket} within {options.StartTimeout.TotalSeconds:0} s; the end of {options.LogFile}:\n{LogTail(options.LogFile)}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<VersionResponse?> TryVersionAsync(CriClient probe, CancellationToken cancellationToken)
    {
        try
        {
            return await probe.VersionAsync(new VersionRequest { Version = "0.1.0" }, cancellationToken).ConfigureAwait(false);
        }
        catch (CriException)
        {
            // Not listening yet, a stale socket file, or the CRI plugin still loading (Unimplemented).
            return null;
        }
    }

    private static async Task StopAsync(Process process, TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        Signals.Terminate(process.Id);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string? FindBinary(string binary)
    {
        if (binary.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(binary) ? Path.GetFullPath(binary) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, binary))
            .FirstOrDefault(File.Exists);
    }
}
