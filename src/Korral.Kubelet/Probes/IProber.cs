using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>Runs one probe's handler once against a running container (the seam unit tests fake).</summary>
public interface IProber
{
    Task<ProbeOutcome> RunAsync(Probe probe, Container container, string containerId, string? podIp, CancellationToken cancellationToken);
}
