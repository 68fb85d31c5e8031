namespace Korral.Kubelet.Logs;

/// <summary>How <see cref="ContainerLogReader"/> waits for more output when following a log.</summary>
public sealed record ContainerLogFollowSettings
{
    /// <summary>
    /// How often a followed file is read again once it has been read to its end. Upstream waits on inotify with a forced
    /// re-read every second; a short poll gives the same promptness without a watch per request.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// At most this often the reader asks whether the container still runs (a CRI call). Upstream asks each time it
    /// waits for more output, which under fsnotify is about once a second when the log is quiet.
    /// </summary>
    public TimeSpan StateCheckPeriod { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
