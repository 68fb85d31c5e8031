namespace Korral.Kubelet.Images.Mirror;

/// <summary>A manifest or image index as the registry API returns it: the exact stored bytes, their digest and media type.</summary>
public sealed record StoredManifest(string MediaType, string Digest, ReadOnlyMemory<byte> Content);
