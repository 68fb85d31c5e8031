namespace Korral.Kubelet.Images.Pulling;

/// <summary>
/// The outcome of making a container's image present: the image reference to create the container from, or the waiting
/// reason (ErrImagePull, ImagePullBackOff, ErrImageNeverPull, InvalidImageName) and message for the container's status.
/// </summary>
public sealed record ImagePullResult(string? ImageRef, string? Reason, string? Message)
{
    public bool Succeeded => ImageRef is not null;

    public static ImagePullResult Present(string imageRef) => new(imageRef, null, null);

    public static ImagePullResult Failed(string reason, string message) => new(null, reason, message);
}
