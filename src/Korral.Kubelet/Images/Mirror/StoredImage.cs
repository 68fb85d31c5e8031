namespace Korral.Kubelet.Images.Mirror;

/// <summary>One name in the store's index: a full reference and the manifest (or index) it points at.</summary>
public sealed record StoredImage(ImageReference Reference, ContentDescriptor Target);
