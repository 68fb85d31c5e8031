namespace Korral.Kubelet.Volumes;

/// <summary>
/// Some volumes of a pod could not be set up. Post one Warning event with reason <see cref="VolumeFailure.Reason"/>
/// (FailedMount) per failure, keep the pod's containers waiting in ContainerCreating, and try again later.
/// </summary>
public sealed class VolumeSetupException(IReadOnlyList<VolumeFailure> failures)
    : Exception(string.Join("; ", failures.Select(f => f.Message)))
{
    public IReadOnlyList<VolumeFailure> Failures { get; } = failures;
}
