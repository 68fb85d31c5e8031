namespace Korral.Kubelet.Logs;

/// <summary>
/// Writes a container's CRI log file to a stream the way the kubelet serves <c>/containerLogs</c> (upstream's ReadLogs in
/// pkg/kubelet/kuberuntime/logs): tail lines counted from the end of the file, a time lower bound, a byte limit,
/// timestamps as a prefix (once per logical line: the P segments of a long line carry none after the first), and
/// follow — reading new output until the container no longer runs, going on with the new file when the log is rotated.
/// Like upstream it reads only the current file, never the rotated ones beside it.
/// </summary>
public sealed class ContainerLogReader(ContainerLogFollowSettings? settings = null)
{
    private readonly ContainerLogFollowSettings _settings = settings ?? new ContainerLogFollowSettings();

    /// <summary>
    /// Copies the log at <paramref name="path"/> to <paramref name="output"/>. With <see cref="ContainerLogOptions.Follow"/>
    /// it returns once <paramref name="isRunning"/> says the container stopped and everything it wrote has been copied
    /// (or when cancelled); a null <paramref name="isRunning"/> means the container is not running. The output is flushed
    /// once the file is open (so a server sends its headers at once) and whenever the reader waits for more.
    /// </summary>
    /// <exception cref="FileNotFoundException">No log file at the path; thrown before anything is written.</exception>
    /// <exception cref="DirectoryNotFoundException">No log directory; thrown before anything is written.</exception>
    public async Task ReadAsync(string path, ContainerLogOptions options, Stream output, Func<CancellationToken, ValueTask<bool>>? isRunning,
        CancellationToken cancellationToken)
    {
        var resolved = Resolve(path);
        var file = OpenRead(resolved);
        try
        {
            file.Position = options.TailLines is { } tail ? LogTail.FindStart(file.SafeFileHandle, file.Length, tail) : 0;
            await output.FlushAsync(cancellationToken);

            using var buffer = new LogLineBuffer();
            var writer = new LogLineWriter(options);
            var follow = options.Follow && isRunning is not null;
            var stopped = false;
            var rotationSeen = false;
            var nextStateCheck = long.MinValue;
            var time = _settings.Time;
            while (!writer.Done)
            {
                if (await buffer.FillAsync(file, cancellationToken) > 0)
                {
                    writer.WriteCompleteLines(buffer);
                    await writer.DrainAsync(output, cancellationToken);
                    continue;
                }

                // At the end of the file.
                if (follow)
                {
                    if (!LogFileIdentity.IsCurrent(file.SafeFileHandle, resolved))
                    {
                        if (!rotationSeen)
                        {
                            // The new file exists, so the runtime has reopened: read the old one once more for what it
                            // wrote between our last read and the reopen, then switch.
                            rotationSeen = true;
                            continue;
                        }

                        rotationSeen = false;
                        FileStream next;
                        try
                        {
                            next = OpenRead(resolved);
                        }
                        catch (FileNotFoundException)
                        {
                            // Gone again already: keep the old file until a new one stays.
                            continue;
                        }

                        writer.WriteIncompleteLine(buffer);
                        await file.DisposeAsync();
                        file = next;
                        continue;
                    }

                    if (file.Length < file.Position)
                    {
                        // Truncated in place (copytruncate): start over at the beginning.
                        file.Position = 0;
                        buffer.Clear();
                        continue;
                    }

                    if (!stopped)
                    {
                        await writer.DrainAsync(output, cancellationToken);
                        await output.FlushAsync(cancellationToken);
                        if (time.GetTimestamp() >= nextStateCheck)
                        {
                            nextStateCheck = time.GetTimestamp() + (long)(_settings.StateCheckPeriod.TotalSeconds * time.TimestampFrequency);
                            if (!await isRunning!(cancellationToken))
                            {
                                // Read once more: what the container wrote before it stopped may have landed after our read.
                                stopped = true;
                                continue;
                            }
                        }

                        await Task.Delay(_settings.PollInterval, time, cancellationToken);
                        continue;
                    }
                }

                // Not following, or the container has stopped and its output has been read to the end. A last line
                // without a line break is written as it is.
                writer.WriteIncompleteLine(buffer);
                break;
            }

            await writer.DrainAsync(output, cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            await file.DisposeAsync();
        }
    }

    /// <summary>The file a log path finally names (upstream resolves symlinks first, so that rotation is detected on the real file).</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var target = File.ResolveLinkTarget(full, returnFinalTarget: true);
        return target is null ? full : Path.GetFullPath(target.FullName);
    }

    private static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            // The runtime keeps appending and the rotator renames the file while it is read.
            Share = FileShare.ReadWrite | FileShare.Delete,
            // LogLineBuffer does the buffering.
            BufferSize = 0,
        });
}
