namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>One CRI call the kubelet made: when, the method (e.g. "StopContainerAsync") and its request message.</summary>
public sealed record CriCall(DateTimeOffset At, string Method, object? Request)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {Method}({Request})";
}
