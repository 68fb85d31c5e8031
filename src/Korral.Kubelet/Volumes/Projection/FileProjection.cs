namespace Korral.Kubelet.Volumes.Projection;

/// <summary>One file of a projected payload: its content and its permission bits (e.g. 0644).</summary>
internal sealed record FileProjection(byte[] Data, int Mode);
