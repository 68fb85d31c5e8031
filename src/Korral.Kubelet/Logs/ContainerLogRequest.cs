namespace Korral.Kubelet.Logs;

/// <summary>Which container's log a /containerLogs request asks for.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Container">A container, init container or ephemeral container of the pod.</param>
/// <param name="Previous">The last terminated attempt instead of the current one (<c>kubectl logs --previous</c>).</param>
public sealed record ContainerLogRequest(string Namespace, string Pod, string Container, bool Previous);
