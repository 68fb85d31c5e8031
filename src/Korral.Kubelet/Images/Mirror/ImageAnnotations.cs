namespace Korral.Kubelet.Images.Mirror;

/// <summary>Annotations that name an image in an OCI layout's index.json.</summary>
internal static class ImageAnnotations
{
    /// <summary>containerd's full image name (docker.io/library/nginx:latest): what `ctr import` and `docker save` write.</summary>
    public const string ContainerdImageName = "io.containerd.image.name";

    /// <summary>OCI's reference name: usually only the tag ("latest"), sometimes a full reference.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";
}
