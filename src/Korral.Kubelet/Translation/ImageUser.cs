using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The user an image runs as, from CRI ImageStatus: a numeric uid, or a user name the runtime resolves inside the
/// image. An image that names no user runs as root (uid 0), as upstream assumes.
/// </summary>
public sealed record ImageUser(long? Uid, string Username)
{
    public static ImageUser Root { get; } = new(0, "");

    public static ImageUser FromImage(Image? image)
    {
        if (image?.Uid is { } uid)
        {
            return new ImageUser(uid.Value, "");
        }

        return string.IsNullOrEmpty(image?.Username) ? Root : new ImageUser(null, image.Username);
    }
}
