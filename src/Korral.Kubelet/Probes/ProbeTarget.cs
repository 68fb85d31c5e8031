using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>The running container attempt a probe worker probes (a new attempt gets new workers).</summary>
/// <param name="StartedAt">When the attempt started running: initialDelaySeconds counts from here.</param>
public sealed record ProbeTarget(Pod Pod, Container Container, string ContainerId, DateTimeOffset StartedAt, string? PodIp);
