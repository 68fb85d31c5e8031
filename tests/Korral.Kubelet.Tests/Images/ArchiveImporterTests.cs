using System.Text;
using System.Text.Json.Nodes;
using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

public sealed class ArchiveImporterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ImageStore _store;
    private readonly ArchiveImporter _importer;

    public ArchiveImporterTests()
    {
        _store = new ImageStore(_temp["store"]);
        _importer = new ArchiveImporter(_store);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Imports_an_oci_layout_named_by_containerd_annotations(bool gzipArchive, bool dotSlash)
    {
        var layout = new OciLayoutBuilder();
        var image = layout.AddImage(TestImages.Layer(("bin/sh", "#!")));
        layout.Name(image.Digest, image.Size, "docker.io/library/busybox:1.28", "1.28")
              .Name(image.Digest, image.Size, "docker.io/library/busybox:latest", "latest");
        var archive = _temp[gzipArchive ? "busybox.tar.gz" : "busybox.tar"];
        layout.WriteTo(archive, gzipArchive, dotSlash);

        var imported = await _importer.ImportAsync(archive, null, CancellationToken.None);

        Assert.Equal(["docker.io/library/busybox:1.28", "docker.io/library/busybox:latest"], imported.Select(i => i.Reference.ToString()));
        Assert.All(imported, i => Assert.Equal(image.Digest, i.Target.Digest));
        var manifest = await _store.GetManifestAsync(ImageReference.Parse("busybox:1.28"), CancellationToken.None);
        Assert.NotNull(manifest);
        Assert.Equal(OciMediaTypes.ImageManifest, manifest.MediaType);
        Assert.Equal(image.Manifest, manifest.Content.ToArray());
        Assert.True(_store.HasBlob(image.ConfigDigest));
        Assert.True(_store.HasBlob(image.LayerDigest));
    }

    [Fact]
    public async Task Completes_tag_only_names_with_the_base_name_and_asks_for_one_without()
    {
        var layout = new OciLayoutBuilder();
        var image = layout.AddImage(TestImages.Layer(("app", "1")));
        layout.Name(image.Digest, image.Size, null, "1.0");
        var tagOnly = _temp["tag-only.tar"];
        layout.WriteTo(tagOnly);
        layout.Name(image.Digest, image.Size, null, "docker.io/library/app:2.0").Name(image.Digest, image.Size, null, "quay.io/other/app:3.0");
        var mixed = _temp["mixed.tar"];
        layout.WriteTo(mixed);

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => _importer.ImportAsync(tagOnly, null, CancellationToken.None));
        Assert.Contains("give a base name", error.Message);
        Assert.Empty(_store.ListImages());

        // A full reference in the ref.name annotation is used as it is (without a base name, only those are imported).
        var full = await _importer.ImportAsync(mixed, null, CancellationToken.None);
        Assert.Equal(["docker.io/library/app:2.0", "quay.io/other/app:3.0"], full.Select(i => i.Reference.ToString()));

        // With a base name, a bare tag completes it; full references stay as they are.
        var based = await _importer.ImportAsync(mixed, "app", CancellationToken.None);
        Assert.Equal(["docker.io/library/app:1.0", "docker.io/library/app:2.0", "quay.io/other/app:3.0"], based.Select(i => i.Reference.ToString()));
    }

    [Fact]
    public async Task Imports_a_nested_image_index_that_holds_only_one_of_its_platforms()
    {
        var layout = new OciLayoutBuilder();
        var amd64 = layout.AddImage(TestImages.Layer(("arch", "amd64")), gzipLayer: true);
        var arm64 = layout.AddImage(TestImages.Layer(("arch", "arm64")), architecture: "arm64");
        var index = layout.AddIndex((amd64.Digest, amd64.Size, "amd64"), (arm64.Digest, arm64.Size, "arm64"));
        var outer = layout.AddIndex((index.Digest, index.Size, "amd64"));
        layout.Omit.Add(arm64.Digest);
        layout.Name(outer.Digest, outer.Size, "registry.k8s.io/pause:3.10", mediaType: OciMediaTypes.ImageIndex);
        var archive = _temp["pause.tar"];
        layout.WriteTo(archive);

        var imported = Assert.Single(await _importer.ImportAsync(archive, null, CancellationToken.None));

        Assert.Equal(OciMediaTypes.ImageIndex, imported.Target.MediaType);
        var manifest = await _store.GetManifestAsync(ImageReference.Parse("registry.k8s.io/pause:3.10"), CancellationToken.None);
        Assert.Equal(OciMediaTypes.ImageIndex, manifest?.MediaType);
        var child = await _store.GetManifestAsync(ImageReference.Parse($"registry.k8s.io/pause@{amd64.Digest}"), CancellationToken.None);
        Assert.Equal(amd64.Manifest, child?.Content.ToArray());
    }

    [Fact]
    public async Task Converts_a_docker_save_archive_to_oci_manifests()
    {
        var plain = TestImages.Layer(("etc/os-release", "debian"));
        var compressed = TestImages.Layer(("usr/sbin/nginx", "binary"));
        var gzip = TestImages.Gzip(compressed);
        var docker = new DockerArchiveBuilder();
        var imageId = docker.AddImage(["nginx:latest", "nginx:1.25", "localhost:5000/web:v1"], [plain, gzip], [plain, compressed]);
        var archive = _temp["nginx.tar"];
        docker.WriteTo(archive);

        var imported = await _importer.ImportAsync(archive, null, CancellationToken.None);

        Assert.Equal(["docker.io/library/nginx:latest", "docker.io/library/nginx:1.25", "localhost:5000/web:v1"], imported.Select(i => i.Reference.ToString()));
        var target = imported[0].Target;
        Assert.Equal(OciMediaTypes.ImageManifest, target.MediaType);
        Assert.Equal(new ImagePlatform("amd64", "linux"), target.Platform);
        var manifest = JsonNode.Parse((await _store.GetManifestAsync(imported[0].Reference, CancellationToken.None))!.Content.Span)!;
        Assert.Equal(OciMediaTypes.ImageManifest, (string?)manifest["mediaType"]);
        Assert.Equal(OciMediaTypes.ImageConfig, (string?)manifest["config"]!["mediaType"]);
        Assert.Equal(imageId, (string?)manifest["config"]!["digest"]);
        var layers = manifest["layers"]!.AsArray();
        Assert.Equal([OciMediaTypes.Layer, OciMediaTypes.LayerGzip], layers.Select(l => (string?)l!["mediaType"]));
        Assert.Equal([TestImages.Digest(plain), TestImages.Digest(gzip)], layers.Select(l => (string?)l!["digest"]));
        Assert.Equal([plain.Length, gzip.Length], layers.Select(l => (int)l!["size"]!));
        await using var stored = _store.OpenBlob(TestImages.Digest(gzip))!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(gzip, copy.ToArray());
    }

    [Fact]
    public async Task Streams_large_layers_and_follows_symlinked_layer_files()
    {
        var large = TestImages.LargeLayer(3 * 1024 * 1024, seed: 7);
        var docker = new DockerArchiveBuilder();
        docker.AddImage(["redis:7"], [large], [large], symlinkedLayers: true);
        var archive = _temp["redis.tar.gz"];
        docker.WriteTo(archive, gzip: true);

        var imported = Assert.Single(await _importer.ImportAsync(archive, null, CancellationToken.None));

        Assert.Equal("docker.io/library/redis:7", imported.Reference.ToString());
        Assert.Equal(large.Length, _store.GetBlobSize(TestImages.Digest(large)));
    }

    [Fact]
    public async Task Prefers_the_oci_layout_of_a_docker_25_archive_and_falls_back_to_manifest_json_when_it_names_nothing()
    {
        var layer = TestImages.Layer(("hello", "world"));
        var layout = new OciLayoutBuilder();
        var image = layout.AddImage(layer);
        layout.Name(image.Digest, image.Size, "docker.io/library/hello:oci", "oci");
        var docker = new DockerArchiveBuilder();
        docker.AddImage(["hello:docker"], [layer], [layer]);
        layout.Extra.AddRange(docker.Entries());
        var named = _temp["named.tar"];
        layout.WriteTo(named);

        var fromLayout = Assert.Single(await _importer.ImportAsync(named, null, CancellationToken.None));
        Assert.Equal("docker.io/library/hello:oci", fromLayout.Reference.ToString());
        Assert.Equal(image.Digest, fromLayout.Target.Digest);

        var unnamedLayout = new OciLayoutBuilder();
        var unnamedImage = unnamedLayout.AddImage(layer);
        unnamedLayout.Name(unnamedImage.Digest, unnamedImage.Size, null);
        unnamedLayout.Extra.AddRange(docker.Entries());
        var unnamed = _temp["unnamed.tar"];
        unnamedLayout.WriteTo(unnamed);

        var fromManifest = Assert.Single(await _importer.ImportAsync(unnamed, null, CancellationToken.None));
        Assert.Equal("docker.io/library/hello:docker", fromManifest.Reference.ToString());
    }

    [Fact]
    public async Task Importing_again_or_retagging_moves_names_without_duplicating_them()
    {
        var docker = new DockerArchiveBuilder();
        var first = TestImages.Layer(("v", "1"));
        docker.AddImage(["app:latest"], [first], [first]);
        var v1 = _temp["v1.tar"];
        docker.WriteTo(v1);
        var second = TestImages.Layer(("v", "2"));
        var next = new DockerArchiveBuilder();
        next.AddImage(["app:latest"], [second], [second]);
        var v2 = _temp["v2.tar"];
        next.WriteTo(v2);

        var one = Assert.Single(await _importer.ImportAsync(v1, null, CancellationToken.None));
        Assert.Equal(one, Assert.Single(await _importer.ImportAsync(v1, null, CancellationToken.None)));
        var two = Assert.Single(await _importer.ImportAsync(v2, null, CancellationToken.None));

        var listed = Assert.Single(_store.ListImages());
        Assert.Equal(two.Target.Digest, listed.Target.Digest);
        Assert.NotEqual(one.Target.Digest, two.Target.Digest);
    }

    public static TheoryData<string, Action<string>, string> Malformed => new()
    {
        { "missing file", _ => { }, "no such file" },
        { "not a tar", path => File.WriteAllText(path, new string('x', 2048)), "not a valid tar archive" },
        { "truncated gzip", WriteTruncatedGzip, "truncated" },
        { "gzip of no tar", WriteGzipOfNoTar, "not a valid gzip-compressed tar archive" },
        { "no image files", path => TestImages.WriteTar(path, [ArchiveEntry.File("README", "hi")]), "neither index.json" },
        { "layer missing from docker archive", WriteMissingLayer, "layer \"missing/layer.tar\" is not in the archive" },
        { "layer count differs from the config", WriteLayerCountMismatch, "lists 1 layers, the config 2" },
        { "blob content differs from its name", WriteCorruptBlob, "hashes to" },
        { "manifest missing from oci layout", WriteMissingManifest, "is not in the archive" },
        { "invalid name", WriteInvalidName, "must be lowercase" },
        { "manifest.json not a list", path => TestImages.WriteTar(path, [ArchiveEntry.File("manifest.json", "{\"a\":1}")]), "not a docker save manifest" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_archives_fail_clearly_and_name_nothing(string name, Action<string> write, string message)
    {
        var path = _temp[name.Replace(' ', '-') + ".tar"];
        write(path);

        // Where the archive also holds a complete image (fine:1), that one is not named either.
        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => _importer.ImportAsync(path, null, CancellationToken.None));

        Assert.Contains(message, error.Message);
        Assert.Contains(path, error.Message);
        Assert.Empty(_store.ListImages());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_store.Directory, "ingest")));
    }

    private static void WriteTruncatedGzip(string path)
    {
        var docker = new DockerArchiveBuilder();
        var layer = TestImages.LargeLayer(64 * 1024, seed: 1);
        docker.AddImage(["big:1"], [layer], [layer]);
        docker.WriteTo(path, gzip: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
    }

    private static void WriteGzipOfNoTar(string path)
    {
        var junk = new byte[2048];
        new Random(1).NextBytes(junk);
        File.WriteAllBytes(path, TestImages.Gzip(junk));
    }

    private static void WriteMissingLayer(string path)
    {
        var docker = new DockerArchiveBuilder();
        var layer = TestImages.Layer(("a", "b"));
        docker.AddImage(["fine:1"], [layer], [layer]);
        docker.AddImageWithMissingLayer("broken:1");
        docker.WriteTo(path);
    }

    private static void WriteLayerCountMismatch(string path)
    {
        var docker = new DockerArchiveBuilder();
        var a = TestImages.Layer(("a", "1"));
        var b = TestImages.Layer(("b", "2"));
        docker.AddImage(["mismatch:1"], [a, b], [a, b], declaredLayers: 1);
        docker.WriteTo(path);
    }

    private static void WriteCorruptBlob(string path)
    {
        var layer = TestImages.Layer(("a", "b"));
        TestImages.WriteTar(path, [ArchiveEntry.File($"blobs/sha256/{TestImages.Hex(layer)}", Encoding.UTF8.GetBytes("not the layer"))]);
    }

    private static void WriteMissingManifest(string path)
    {
        var layout = new OciLayoutBuilder();
        var fine = layout.AddImage(TestImages.Layer(("fine", "1")));
        var broken = layout.AddImage(TestImages.Layer(("broken", "1")));
        layout.Omit.Add(broken.Digest);
        layout.Name(fine.Digest, fine.Size, "docker.io/library/fine:1").Name(broken.Digest, broken.Size, "docker.io/library/broken:1");
        layout.WriteTo(path);
    }

    private static void WriteInvalidName(string path)
    {
        var layout = new OciLayoutBuilder();
        var image = layout.AddImage(TestImages.Layer(("a", "1")));
        layout.Name(image.Digest, image.Size, "docker.io/library/UPPER:1");
        layout.WriteTo(path);
    }
}
