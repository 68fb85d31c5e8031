namespace Korral.Kubelet.Logs;

/// <summary>The result of <see cref="ContainerLogStatus.Select"/>: the CRI container whose log to read, or why none.</summary>
/// <param name="ContainerId">The CRI container ID (without the "containerd://" prefix of the pod status), or null.</param>
/// <param name="Error">Upstream's message for a container without a log to read, or null.</param>
public sealed record ContainerLogSelection(string? ContainerId, string? Error);
