namespace Korral.Kubelet.Volumes;

/// <summary>
/// A container's volume mounts cannot be made (a mount names no volume, a subPath is absolute, escapes its volume or
/// names a missing variable). Upstream reports these as the container's CreateContainerConfigError with this message.
/// </summary>
public sealed class ContainerMountException(string message) : Exception(message)
{
    /// <summary>The waiting reason upstream gives the container.</summary>
    public const string Reason = "CreateContainerConfigError";
}
