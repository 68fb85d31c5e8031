namespace Korral.Kubelet.Images.Mirror;

/// <summary>OCI image layouts: index.json names manifests (or nested indexes) whose blobs are in blobs/sha256/.</summary>
public sealed partial class ArchiveImporter
{
    private const int MaxIndexDepth = 4;

    private async Task<List<StoredImage>> ResolveOciLayoutAsync(string archivePath, ArchiveContents contents, string? baseRepository,
        CancellationToken cancellationToken)
    {
        var json = await ReadAsync(contents.Find("index.json")!, MaxDocumentBytes, cancellationToken)
                   ?? throw new ImageArchiveException($"{archivePath}: index.json is larger than {MaxDocumentBytes} bytes");
        var index = OciJson.TryParse<OciIndexDocument>(json);
        if (index?.Manifests is null)
        {
            throw new ImageArchiveException($"{archivePath}: index.json is not an OCI image index");
        }

        var images = new List<StoredImage>();
        foreach (var descriptor in index.Manifests)
        {
            var names = NamesOf(archivePath, descriptor, baseRepository);
            if (names.Count == 0)
            {
                continue;
            }

            if (descriptor.Digest is null || !ContentDigest.IsValid(descriptor.Digest))
            {
                throw new ImageArchiveException($"{archivePath}: index.json: {names[0]} has an invalid digest \"{descriptor.Digest}\"");
            }

            var mediaType = await CheckCompleteAsync(archivePath, descriptor, 0, cancellationToken);
            var target = new ContentDescriptor(mediaType, descriptor.Digest, descriptor.Size) { Platform = descriptor.Platform };
            images.AddRange(names.Select(n => new StoredImage(n, target)));
        }

        return images;
    }

    /// <summary>
    /// The tagged names of one index.json entry: io.containerd.image.name, else org.opencontainers.image.ref.name when
    /// it is a full reference, or a tag completed with the base name (like `ctr import --base-name`). Digest-only names
    /// are left out: the mirror serves any stored manifest by digest anyway.
    /// </summary>
    private static List<ImageReference> NamesOf(string archivePath, ContentDescriptor descriptor, string? baseRepository)
    {
        var annotations = descriptor.Annotations ?? new Dictionary<string, string>();
        string? name = annotations.GetValueOrDefault(ImageAnnotations.ContainerdImageName);
        if (name is null && annotations.GetValueOrDefault(ImageAnnotations.RefName) is { Length: > 0 } refName)
        {
            // A name under the base, or any full reference (it has a '/'), stands as it is; a bare tag needs the base.
            var underBase = baseRepository is not null && refName.StartsWith(baseRepository, StringComparison.Ordinal) &&
                            (refName.Length == baseRepository.Length || refName[baseRepository.Length] is ':' or '@');
            if (underBase || refName.Contains('/', StringComparison.Ordinal))
            {
                name = refName;
            }
            else if (baseRepository is not null)
            {
                name = $"{baseRepository}:{refName}";
            }
        }

        if (name is null)
        {
            return [];
        }

        if (!ImageReference.TryParse(name, out var reference, out var error))
        {
            throw new ImageArchiveException($"{archivePath}: index.json names \"{name}\": {error}");
        }

        return reference.Tag is null ? [] : [reference];
    }

    /// <summary>
    /// Checks that the store holds everything a manifest needs (config and layers) or, for an index, that each manifest
    /// it lists that the archive holds is complete and at least one is. (An archive of a multi-platform image, such as
    /// Docker's, usually holds only the platform it was saved on.) Returns the media type to serve it with.
    /// </summary>
    private async Task<string> CheckCompleteAsync(string archivePath, ContentDescriptor descriptor, int depth, CancellationToken cancellationToken)
    {
        var json = await store.ReadSmallBlobAsync(descriptor.Digest, ImageStore.MaxManifestBytes, cancellationToken);
        if (json is null)
        {
            throw new ImageArchiveException(store.HasBlob(descriptor.Digest)
                ? $"{archivePath}: manifest {descriptor.Digest} is larger than {ImageStore.MaxManifestBytes} bytes"
                : $"{archivePath}: manifest {descriptor.Digest} is not in the archive");
        }

        var document = OciJson.TryParse<OciManifestDocument>(json);
        var mediaType = document?.EffectiveMediaType ?? descriptor.MediaType;
        if (document is null || !(OciMediaTypes.IsIndex(mediaType) || OciMediaTypes.IsManifest(mediaType)))
        {
            throw new ImageArchiveException($"{archivePath}: {descriptor.Digest} is not an image manifest or index");
        }

        if (OciMediaTypes.IsIndex(mediaType))
        {
            if (depth >= MaxIndexDepth)
            {
                throw new ImageArchiveException($"{archivePath}: image indexes nest deeper than {MaxIndexDepth}");
            }

            var complete = 0;
            foreach (var child in document.Manifests ?? [])
            {
                if (child.Digest is not null && store.HasBlob(child.Digest))
                {
                    await CheckCompleteAsync(archivePath, child, depth + 1, cancellationToken);
                    complete++;
                }
            }

            return complete > 0
                ? mediaType!
                : throw new ImageArchiveException($"{archivePath}: image index {descriptor.Digest} lists no manifest the archive holds");
        }

        if (document.Config?.Digest is not { } config || !store.HasBlob(config))
        {
            throw new ImageArchiveException($"{archivePath}: manifest {descriptor.Digest}: config {document.Config?.Digest ?? "(none)"} is not in the archive");
        }

        foreach (var layer in document.Layers ?? [])
        {
            if (!OciMediaTypes.IsNonDistributable(layer.MediaType) && (layer.Digest is null || !store.HasBlob(layer.Digest)))
            {
                throw new ImageArchiveException($"{archivePath}: manifest {descriptor.Digest}: layer {layer.Digest} is not in the archive");
            }
        }

        return mediaType!;
    }
}
