using System.Text.Json.Nodes;

namespace Korral.Kubelet.Tests.Images;

/// <summary>Builds a `docker save` archive in a test: manifest.json, one config file and layer files per image.</summary>
internal sealed class DockerArchiveBuilder
{
    private readonly JsonArray _manifest = [];
    private readonly List<ArchiveEntry> _files = [];

    /// <summary>
    /// An image with the given layers, stored as given (so a gzip layer stays compressed) in the classic
    /// "&lt;id&gt;/layer.tar" layout, or as "blobs/sha256/&lt;hex&gt;" files with "&lt;id&gt;/layer.tar" symbolic links to them
    /// (Docker 25's layout). Returns the config digest (the image ID).
    /// </summary>
    public string AddImage(string[] repoTags, byte[][] storedLayers, byte[][] uncompressedLayers, bool symlinkedLayers = false, int? declaredLayers = null)
    {
        var config = TestImages.Config("amd64", uncompressedLayers);
        var configName = TestImages.Hex(config) + ".json";
        _files.Add(ArchiveEntry.File(configName, config));
        var layerPaths = new JsonArray();
        for (var i = 0; i < storedLayers.Length; i++)
        {
            var id = TestImages.Hex([.. storedLayers[i], (byte)i]);
            if (symlinkedLayers)
            {
                var blob = $"blobs/sha256/{TestImages.Hex(storedLayers[i])}";
                _files.Add(ArchiveEntry.File(blob, storedLayers[i]));
                _files.Add(ArchiveEntry.Link($"{id}/layer.tar", $"../{blob}"));
            }
            else
            {
                _files.Add(ArchiveEntry.File($"{id}/VERSION", "1.0"));
                _files.Add(ArchiveEntry.File($"{id}/layer.tar", storedLayers[i]));
            }

            layerPaths.Add($"{id}/layer.tar");
        }

        if (declaredLayers is { } n)
        {
            while (layerPaths.Count > n)
            {
                layerPaths.RemoveAt(layerPaths.Count - 1);
            }
        }

        _manifest.Add(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(repoTags.Select(t => (JsonNode)t).ToArray()),
            ["Layers"] = layerPaths,
        });
        return TestImages.Digest(config);
    }

    /// <summary>A manifest.json entry pointing at a layer file the archive does not hold.</summary>
    public void AddImageWithMissingLayer(string repoTag)
    {
        var layer = TestImages.Layer(("x", "y"));
        var config = TestImages.Config("amd64", layer);
        _files.Add(ArchiveEntry.File(TestImages.Hex(config) + ".json", config));
        _manifest.Add(new JsonObject
        {
            ["Config"] = TestImages.Hex(config) + ".json",
            ["RepoTags"] = new JsonArray(repoTag),
            ["Layers"] = new JsonArray("missing/layer.tar"),
        });
    }

    /// <summary>The files of the archive (manifest.json last, as `docker save` writes it).</summary>
    public IEnumerable<ArchiveEntry> Entries() =>
        [.. _files, ArchiveEntry.File("repositories", "{}"), ArchiveEntry.File("manifest.json", _manifest.ToJsonString())];

    public void WriteTo(string path, bool gzip = false) => TestImages.WriteTar(path, Entries(), gzip);
}
