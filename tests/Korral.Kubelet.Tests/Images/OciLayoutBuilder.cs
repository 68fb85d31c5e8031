using System.Text;
using System.Text.Json.Nodes;
using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

/// <summary>Builds an OCI image layout archive in a test: blobs, manifests, indexes and the index.json entries naming them.</summary>
internal sealed class OciLayoutBuilder
{
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly JsonArray _index = [];

    /// <summary>Extra files written into the archive beside the layout (e.g. a docker manifest.json).</summary>
    public List<ArchiveEntry> Extra { get; } = [];

    /// <summary>Blobs left out of the archive (to make it incomplete).</summary>
    public HashSet<string> Omit { get; } = new(StringComparer.Ordinal);

    public string AddBlob(byte[] content)
    {
        _blobs[TestImages.Hex(content)] = content;
        return TestImages.Digest(content);
    }

    /// <summary>An image of one layer; returns the manifest's descriptor (digest, size, bytes) and the config digest.</summary>
    public (string Digest, int Size, byte[] Manifest, string ConfigDigest, string LayerDigest) AddImage(byte[] layer, bool gzipLayer = false, string architecture = "amd64")
    {
        var stored = gzipLayer ? TestImages.Gzip(layer) : layer;
        var config = TestImages.Config(architecture, layer);
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = Descriptor(OciMediaTypes.ImageConfig, AddBlob(config), config.Length),
            ["layers"] = new JsonArray(Descriptor(gzipLayer ? OciMediaTypes.LayerGzip : OciMediaTypes.Layer, AddBlob(stored), stored.Length)),
        }.ToJsonString());
        return (AddBlob(manifest), manifest.Length, manifest, TestImages.Digest(config), TestImages.Digest(stored));
    }

    /// <summary>An image index over manifests (digest, size, architecture).</summary>
    public (string Digest, int Size, byte[] Index) AddIndex(params (string Digest, int Size, string Architecture)[] manifests)
    {
        var index = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(manifests.Select(m =>
            {
                var d = Descriptor(OciMediaTypes.ImageManifest, m.Digest, m.Size);
                d["platform"] = new JsonObject { ["architecture"] = m.Architecture, ["os"] = "linux" };
                return (JsonNode)d;
            }).ToArray()),
        }.ToJsonString());
        return (AddBlob(index), index.Length, index);
    }

    /// <summary>An index.json entry for a manifest or index, with the given annotations (null values are left out).</summary>
    public OciLayoutBuilder Name(string digest, int size, string? containerdName, string? refName = null, string mediaType = OciMediaTypes.ImageManifest)
    {
        var descriptor = Descriptor(mediaType, digest, size);
        var annotations = new JsonObject();
        if (containerdName is not null)
        {
            annotations["io.containerd.image.name"] = containerdName;
        }

        if (refName is not null)
        {
            annotations["org.opencontainers.image.ref.name"] = refName;
        }

        if (annotations.Count > 0)
        {
            descriptor["annotations"] = annotations;
        }

        _index.Add(descriptor);
        return this;
    }

    /// <summary>Writes the layout as a tar (paths with a leading "./", as `tar -C dir -cf x .` makes them, when asked).</summary>
    public void WriteTo(string path, bool gzip = false, bool dotSlash = false)
    {
        var prefix = dotSlash ? "./" : "";
        var entries = new List<ArchiveEntry>
        {
            ArchiveEntry.File(prefix + "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""),
            ArchiveEntry.File(prefix + "index.json", new JsonObject { ["schemaVersion"] = 2, ["manifests"] = _index.DeepClone() }.ToJsonString()),
        };
        entries.AddRange(_blobs.Where(b => !Omit.Contains("sha256:" + b.Key)).Select(b => ArchiveEntry.File($"{prefix}blobs/sha256/{b.Key}", b.Value)));
        entries.AddRange(Extra);
        TestImages.WriteTar(path, entries, gzip);
    }

    private static JsonObject Descriptor(string mediaType, string digest, int size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };
}
