using System.Text.Json;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// `docker save` archives: manifest.json lists each image's config file, names and layer files. Each image becomes an
/// OCI manifest (config and layers keep their bytes, so the image ID, which is the config digest, stays the same).
/// </summary>
public sealed partial class ArchiveImporter
{
    private async Task<List<StoredImage>> ResolveDockerArchiveAsync(string archivePath, ArchiveContents contents, CancellationToken cancellationToken)
    {
        var json = await ReadAsync(contents.Find("manifest.json")!, MaxDocumentBytes, cancellationToken)
                   ?? throw new ImageArchiveException($"{archivePath}: manifest.json is larger than {MaxDocumentBytes} bytes");
        var entries = OciJson.TryParse<List<DockerArchiveEntry>>(json)
                      ?? throw new ImageArchiveException($"{archivePath}: manifest.json is not a docker save manifest (a JSON list of Config, RepoTags, Layers)");
        var images = new List<StoredImage>();
        foreach (var entry in entries)
        {
            if (entry.RepoTags is not { Count: > 0 } tags)
            {
                continue;
            }

            var names = new List<ImageReference>();
            foreach (var tag in tags)
            {
                if (!ImageReference.TryParse(tag, out var reference, out var error))
                {
                    throw new ImageArchiveException($"{archivePath}: manifest.json names \"{tag}\": {error}");
                }

                names.Add(reference);
            }

            var manifest = await ConvertAsync(archivePath, contents, entry, tags[0], cancellationToken);
            images.AddRange(names.Where(n => n.Tag is not null).Select(n => new StoredImage(n, manifest)));
        }

        return images;
    }

    private async Task<ContentDescriptor> ConvertAsync(string archivePath, ArchiveContents contents, DockerArchiveEntry entry, string name,
        CancellationToken cancellationToken)
    {
        var configFile = (entry.Config is null ? null : contents.Find(entry.Config))
                         ?? throw new ImageArchiveException($"{archivePath}: {name}: config \"{entry.Config}\" is not in the archive");
        var configJson = await ReadAsync(configFile, MaxDocumentBytes, cancellationToken)
                         ?? throw new ImageArchiveException($"{archivePath}: {name}: config \"{entry.Config}\" is larger than {MaxDocumentBytes} bytes");
        var (platform, diffIds) = ReadConfig(configJson)
                                  ?? throw new ImageArchiveException($"{archivePath}: {name}: config \"{entry.Config}\" is not an image config");
        var layerPaths = entry.Layers ?? [];
        if (diffIds != layerPaths.Count)
        {
            throw new ImageArchiveException($"{archivePath}: {name}: manifest.json lists {layerPaths.Count} layers, the config {diffIds}");
        }

        var config = await StoreAsync(configFile, OciMediaTypes.ImageConfig, cancellationToken);
        var layers = new List<ContentDescriptor>();
        foreach (var path in layerPaths)
        {
            var file = contents.Find(path) ?? throw new ImageArchiveException($"{archivePath}: {name}: layer \"{path}\" is not in the archive");
            var layer = await StoreAsync(file, OciMediaTypes.Layer, cancellationToken);
            layers.Add(layer with { MediaType = await LayerMediaTypeAsync(file, layer.Digest, cancellationToken) });
        }

        var manifest = new OciManifestDocument { MediaType = OciMediaTypes.ImageManifest, Config = config, Layers = layers };
        var stored = await store.AddBlobAsync(OciJson.Serialize(manifest), OciMediaTypes.ImageManifest, cancellationToken);
        return stored with { Platform = platform };
    }

    /// <summary>The platform and number of layers (rootfs.diff_ids) an image config declares; null when it is not one.</summary>
    private static (ImagePlatform? Platform, int DiffIds)? ReadConfig(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("rootfs", out var rootfs) || rootfs.ValueKind != JsonValueKind.Object ||
                !rootfs.TryGetProperty("diff_ids", out var diffIds) || diffIds.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            ImagePlatform? platform = null;
            if (root.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.String &&
                root.TryGetProperty("architecture", out var architecture) && architecture.ValueKind == JsonValueKind.String)
            {
                platform = new ImagePlatform(architecture.GetString()!, os.GetString()!)
                {
                    Variant = root.TryGetProperty("variant", out var variant) && variant.ValueKind == JsonValueKind.String ? variant.GetString() : null,
                };
            }

            return (platform, diffIds.GetArrayLength());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Layers in a docker archive are plain tars or, from some tools, compressed ones: the first bytes tell.</summary>
    private async Task<string> LayerMediaTypeAsync(ArchiveFile file, string digest, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        int read;
        if (file.Content is { } content)
        {
            read = Math.Min(4, content.Length);
            content.AsSpan(0, read).CopyTo(magic);
        }
        else
        {
            await using var blob = store.OpenBlob(digest) ?? throw new InvalidOperationException($"{digest} vanished from the store");
            read = await blob.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, cancellationToken);
        }

        return read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b ? OciMediaTypes.LayerGzip
            : read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd ? OciMediaTypes.LayerZstd
            : OciMediaTypes.Layer;
    }
}
