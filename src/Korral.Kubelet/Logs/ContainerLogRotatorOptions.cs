namespace Korral.Kubelet.Logs;

/// <summary>The kubelet's container log rotation policy (upstream flags in the names; defaults as upstream).</summary>
public sealed record ContainerLogRotatorOptions
{
    /// <summary>--container-log-max-size: a log file larger than this is rotated (default 10 MiB).</summary>
    public long MaxSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>
    /// --container-log-max-files: files kept per container, the current one included (default 5). Rotated files beyond
    /// the newest one are gzip-compressed, as upstream does.
    /// </summary>
    public int MaxFiles { get; init; } = 5;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxSize <= 0)
        {
            errors.Add($"--container-log-max-size {MaxSize} must be a positive size such as 10Mi");
        }

        if (MaxFiles < 2)
        {
            errors.Add($"--container-log-max-files {MaxFiles} must be at least 2 (the current file and one rotated file)");
        }

        return errors;
    }
}
