namespace Korral.Kubelet.Images.Mirror;

/// <summary>One regular file of an archive: its bytes when small, else the descriptor of the blob it was streamed into.</summary>
internal sealed record ArchiveFile(byte[]? Content, ContentDescriptor? Stored);
