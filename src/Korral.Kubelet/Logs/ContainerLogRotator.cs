using System.Globalization;
using System.IO.Compression;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Logs;

/// <summary>
/// Rotates the log files of running containers (upstream's containerLogManager in pkg/kubelet/logs): when the current
/// file is larger than <see cref="ContainerLogRotatorOptions.MaxSize"/> it is renamed to <c>&lt;file&gt;.&lt;yyyyMMdd-HHmmss&gt;</c>
/// and the runtime is asked to reopen the log, which creates a new current file. Older rotated files are gzip-compressed
/// and the oldest removed so that at most <see cref="ContainerLogRotatorOptions.MaxFiles"/> files remain. The caller
/// invokes <see cref="RotateAsync"/> for each running container on a timer (upstream: every 10 s).
/// </summary>
public sealed class ContainerLogRotator
{
    private const string CompressSuffix = ".gz";
    private const string TmpSuffix = ".tmp";

    private readonly IRuntimeService _runtime;
    private readonly ContainerLogRotatorOptions _options;
    private readonly TimeProvider _time;

    public ContainerLogRotator(IRuntimeService runtime, ContainerLogRotatorOptions options, TimeProvider time)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid container log rotation options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        _runtime = runtime;
        _options = options;
        _time = time;
    }

    /// <summary>
    /// Rotates the container's log if it has grown past the limit; returns whether it did. A missing log file is
    /// recreated by asking the runtime to reopen it (a rotation interrupted by a restart can leave it renamed away).
    /// </summary>
    /// <exception cref="CriException">The runtime refused to reopen the log (the rename has then been undone).</exception>
    public async Task<bool> RotateAsync(string containerId, string logPath, CancellationToken cancellationToken)
    {
        var info = new FileInfo(logPath);
        if (!info.Exists)
        {
            await ReopenAsync(containerId, cancellationToken);
            info.Refresh();
            if (!info.Exists)
            {
                throw new FileNotFoundException($"container log \"{logPath}\" of {containerId} is still missing after reopening it", logPath);
            }
        }

        if (info.Length < _options.MaxSize)
        {
            return false;
        }

        var rotated = RotatedFiles(logPath);
        rotated = RemoveUnused(rotated);
        rotated = RemoveExcess(rotated);
        foreach (var file in rotated.Where(f => !f.EndsWith(CompressSuffix, StringComparison.Ordinal)))
        {
            await CompressAsync(file, cancellationToken);
        }

        await RotateLatestAsync(containerId, logPath, cancellationToken);
        return true;
    }

    /// <summary>The rotated files of a log (<c>&lt;file&gt;.*</c>), oldest first: their timestamps sort by name.</summary>
    private static List<string> RotatedFiles(string logPath)
    {
        // Filtered by hand: .NET's "name.*" pattern also matches "name" itself (Windows semantics).
        var full = Path.GetFullPath(logPath);
        var prefix = full + ".";
        var files = Directory.EnumerateFiles(Path.GetDirectoryName(full)!)
            .Where(f => f.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Removes leftovers of an interrupted compression: temporary files, and originals whose .gz is complete.</summary>
    private static List<string> RemoveUnused(List<string> files)
    {
        var kept = new List<string>();
        foreach (var file in files)
        {
            var unused = file.EndsWith(TmpSuffix, StringComparison.Ordinal) ||
                         (!file.EndsWith(CompressSuffix, StringComparison.Ordinal) && files.Contains(file + CompressSuffix));
            if (unused)
            {
                File.Delete(file);
            }
            else
            {
                kept.Add(file);
            }
        }

        return kept;
    }

    /// <summary>
    /// Keeps the newest MaxFiles − 2 rotated files: the current file and the one about to be rotated make up the rest.
    /// Removes oldest first, so that a reader of a newer file is not disturbed.
    /// </summary>
    private List<string> RemoveExcess(List<string> files)
    {
        var excess = Math.Max(0, files.Count - Math.Max(0, _options.MaxFiles - 2));
        foreach (var file in files.Take(excess))
        {
            File.Delete(file);
        }

        return files[excess..];
    }

    private static async Task CompressAsync(string file, CancellationToken cancellationToken)
    {
        var tmp = file + TmpSuffix;
        await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        await using (var target = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        await using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
        {
            await source.CopyToAsync(gzip, cancellationToken);
        }

        File.Move(tmp, file + CompressSuffix, overwrite: true);
        File.Delete(file);
    }

    private async Task RotateLatestAsync(string containerId, string logPath, CancellationToken cancellationToken)
    {
        var stamp = _time.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var rotated = $"{logPath}.{stamp}";
        File.Move(logPath, rotated, overwrite: true);
        try
        {
            await ReopenAsync(containerId, cancellationToken);
        }
        catch
        {
            // Put the file back so that the next round tries again (and nothing is lost if the runtime never reopens).
            File.Move(rotated, logPath, overwrite: true);
            throw;
        }
    }

    private Task ReopenAsync(string containerId, CancellationToken cancellationToken) =>
        _runtime.ReopenContainerLogAsync(new ReopenContainerLogRequest { ContainerId = containerId }, cancellationToken);
}
