namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>Why a volume could not be set up, worded as upstream's plugins word it (without the MountVolume prefix).</summary>
internal sealed class VolumeSetupError(string message) : Exception(message);
