namespace Korral.Kubelet.Logs;

/// <summary>
/// What part of a container's log to write and how (the kubelet's reading of PodLogOptions; upstream's LogOptions in
/// pkg/kubelet/kuberuntime/logs).
/// </summary>
public sealed record ContainerLogOptions
{
    /// <summary>Only the last N lines of the file (counted as the file's line breaks); null for the whole file.</summary>
    public long? TailLines { get; init; }

    /// <summary>Stop after this many bytes of output (the last line may be cut); null for no limit.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Skip lines stamped before this time; null for no lower bound.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Prefix every line with its timestamp (RFC3339, nine fractional digits) and a space.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Keep writing new lines until the container stops (following the file across rotations).</summary>
    public bool Follow { get; init; }

    /// <summary>
    /// The lower time bound from sinceSeconds and sinceTime as upstream combines them: the later of now − sinceSeconds
    /// and sinceTime.
    /// </summary>
    public static DateTimeOffset? SinceFrom(long? sinceSeconds, DateTimeOffset? sinceTime, DateTimeOffset now)
    {
        DateTimeOffset? since = sinceSeconds is { } seconds ? now - TimeSpan.FromSeconds(seconds) : null;
        if (sinceTime is { } time && (since is null || time > since))
        {
            since = time;
        }

        return since;
    }
}
