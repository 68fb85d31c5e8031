using Korral.Api.Models;

namespace Korral.Kubelet.Translation;

/// <summary>
/// What the node knows that a container's environment can refer to: the pod's IPs (from the sandbox status, primary
/// first), the node's IPs (status.hostIP/hostIPs), and the node's allocatable resources, which stand in for limits a
/// container does not set (resourceFieldRef, as upstream).
/// </summary>
public sealed record EnvironmentContext(
    IReadOnlyList<string> PodIPs,
    IReadOnlyList<string> HostIPs,
    IReadOnlyDictionary<string, Quantity> NodeAllocatable);
