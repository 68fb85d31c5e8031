namespace Korral.Kubelet.Images.Mirror;

/// <summary>The media types of OCI image-spec v1 and of Docker's image manifest v2 schema 2 that the mirror handles.</summary>
public static class OciMediaTypes
{
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string LayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>An image index or Docker manifest list: a list of manifests, one per platform.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is ImageIndex or DockerManifestList;

    /// <summary>A single-platform image manifest (config + layers).</summary>
    public static bool IsManifest(string? mediaType) => mediaType is ImageManifest or DockerManifest;

    /// <summary>
    /// Layers a registry is not expected to hold (Windows base layers and the like, fetched from their own URLs):
    /// an archive may leave them out.
    /// </summary>
    public static bool IsNonDistributable(string? mediaType) =>
        mediaType is not null && (mediaType.Contains(".nondistributable.", StringComparison.Ordinal) ||
                                  mediaType.Contains(".foreign.", StringComparison.Ordinal));
}
