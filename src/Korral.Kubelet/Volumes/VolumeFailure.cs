namespace Korral.Kubelet.Volumes;

/// <summary>
/// A volume that could not be set up: the message is upstream's FailedMount event text, e.g.
/// <c>MountVolume.SetUp failed for volume "config" : configmap "app" not found</c>.
/// </summary>
public sealed record VolumeFailure(string VolumeName, string Message)
{
    /// <summary>The event reason upstream records for it.</summary>
    public const string Reason = "FailedMount";

    internal static VolumeFailure SetUp(string volumeName, string cause) =>
        new(volumeName, $"MountVolume.SetUp failed for volume \"{volumeName}\" : {cause}");
}
