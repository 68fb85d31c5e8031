namespace Korral.Kubelet.Images.Mirror;

/// <summary>An image archive that cannot be imported: missing, not a tar, or naming content it does not hold.</summary>
public sealed class ImageArchiveException(string message, Exception? innerException = null) : Exception(message, innerException);
