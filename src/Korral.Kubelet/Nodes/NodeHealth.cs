namespace Korral.Kubelet.Nodes;

/// <summary>The inputs of the node's conditions at one heartbeat.</summary>
/// <param name="NotReadyMessage">Why the node is not ready (runtime or network down), null when it is.</param>
public sealed record NodeHealth(bool MemoryPressure, bool DiskPressure, bool PidPressure, string? NotReadyMessage);
