using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Status;

/// <summary>Small value helpers shared by the status computation: copies, timestamps, state shapes.</summary>
internal static class StatusValues
{
    /// <summary>A deep copy, so that nothing computed here aliases the pod or the previous status.</summary>
    public static T Clone<T>(T value)
        where T : class =>
        KubeJson.FromNode<T>(KubeJson.ToNode(value))!;

    /// <summary>API timestamps carry whole seconds; computing with the same precision keeps comparisons with what the
    /// server returns exact.</summary>
    public static DateTimeOffset Seconds(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static DateTimeOffset? Seconds(DateTimeOffset? t) => t is { } v ? Seconds(v) : null;

    /// <summary>CRI times are Unix nanoseconds; 0 stays the Unix epoch, as upstream shows for a container that never
    /// started.</summary>
    public static DateTimeOffset FromUnixNanos(long nanos) => Seconds(DateTimeOffset.UnixEpoch.AddTicks(nanos / 100));

    public static ContainerState Waiting(string? reason, string? message = null) =>
        new() { Waiting = new ContainerStateWaiting { Reason = reason, Message = message } };

    public static bool IsRunning(ContainerState? state) => state?.Running is not null;

    public static bool IsTerminated(ContainerState? state) => state?.Terminated is not null;

    public static bool IsWaiting(ContainerState? state) => state?.Waiting is not null;
}
