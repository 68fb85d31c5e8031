namespace Korral.Kubelet.Pods;

/// <summary>A waiting reason and message for a container, as the worker last recorded it (e.g. ImagePullBackOff).</summary>
public sealed record ContainerWaiting(string Reason, string? Message);
