namespace Korral.Kubelet.Logs;

/// <summary>
/// The answer of <see cref="IContainerLogSource.FindAsync"/>: a log file to read (and, for follow, how to tell whether the
/// container still writes to it), or why there is none, with the HTTP status and plain-text message the kubelet answers
/// (the API server turns 400 into BadRequest with that message, 404 into NotFound).
/// </summary>
public sealed record ContainerLogLookup
{
    private ContainerLogLookup(string? path, Func<CancellationToken, ValueTask<bool>>? isRunning, int statusCode, string? error)
    {
        Path = path;
        IsRunningAsync = isRunning;
        StatusCode = statusCode;
        Error = error;
    }

    /// <summary>The log file (CRI ContainerStatus.log_path), or null when refused.</summary>
    public string? Path { get; }

    /// <summary>
    /// Whether the container still runs (CRI ContainerStatus state RUNNING); asked while following, at most once per
    /// <see cref="ContainerLogFollowSettings.StateCheckPeriod"/>. Null: not running, follow stops at the end of the file.
    /// </summary>
    public Func<CancellationToken, ValueTask<bool>>? IsRunningAsync { get; }

    /// <summary>200 when found; else the kubelet's status for the refusal.</summary>
    public int StatusCode { get; }

    /// <summary>The refusal's message, or null when found.</summary>
    public string? Error { get; }

    public bool Found => Path is not null;

    /// <summary>The log is at <paramref name="path"/>; <paramref name="isRunning"/> is null for a container that has stopped.</summary>
    public static ContainerLogLookup Log(string path, Func<CancellationToken, ValueTask<bool>>? isRunning) => new(path, isRunning, 200, null);

    /// <summary>This node runs no pod of that name (404 "pod \"web\" does not exist").</summary>
    public static ContainerLogLookup PodNotFound(string pod) => new(null, null, 404, $"pod \"{pod}\" does not exist");

    /// <summary>The pod's spec has no such container, init or ephemeral container (404).</summary>
    public static ContainerLogLookup ContainerNotFound(string container, string pod) =>
        new(null, null, 404, $"container \"{container}\" not found in pod \"{pod}\"");

    /// <summary>
    /// The container has no log to show yet or any more (400), e.g. the messages of <see cref="ContainerLogStatus.Select"/>:
    /// <c>container "web" in pod "web-1" is waiting to start: ContainerCreating</c>.
    /// </summary>
    public static ContainerLogLookup Unavailable(string message) => new(null, null, 400, message);
}
