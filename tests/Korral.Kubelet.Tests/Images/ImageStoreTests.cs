using System.Text;
using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

public sealed class ImageStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_new_store_is_an_empty_oci_layout()
    {
        var store = new ImageStore(_temp["store"]);

        Assert.Empty(store.ListImages());
        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", await File.ReadAllTextAsync(Path.Combine(store.Directory, "oci-layout")));
        Assert.Null(await store.GetManifestAsync(ImageReference.Parse("nginx"), CancellationToken.None));
        Assert.Null(store.OpenBlob("sha256:" + new string('0', 64)));
        Assert.Null(store.OpenBlob("../../etc/passwd"));
    }

    [Fact]
    public async Task A_blob_whose_content_does_not_match_its_digest_is_not_stored()
    {
        var store = new ImageStore(_temp["store"]);
        var claimed = TestImages.Digest(Encoding.UTF8.GetBytes("expected"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            store.AddBlobAsync(new MemoryStream(Encoding.UTF8.GetBytes("something else")), OciMediaTypes.Layer, claimed, null, CancellationToken.None));

        Assert.Contains("hashes to", error.Message);
        Assert.False(store.HasBlob(claimed));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(store.Directory, "ingest")));
    }

    [Fact]
    public async Task Naming_an_image_whose_content_is_not_stored_is_refused()
    {
        var store = new ImageStore(_temp["store"]);
        var missing = new ContentDescriptor(OciMediaTypes.ImageManifest, "sha256:" + new string('1', 64), 10);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.SetImagesAsync([new StoredImage(ImageReference.Parse("nginx"), missing)], CancellationToken.None));
        Assert.Empty(store.ListImages());
    }

    [Fact]
    public async Task The_index_is_a_valid_oci_index_naming_each_image_by_its_full_reference()
    {
        var store = new ImageStore(_temp["store"]);
        var layout = new OciLayoutBuilder();
        var image = layout.AddImage(TestImages.Layer(("a", "1")));
        layout.Name(image.Digest, image.Size, "docker.io/library/a:1");
        layout.WriteTo(_temp["a.tar"]);
        await new ArchiveImporter(store).ImportAsync(_temp["a.tar"], null, CancellationToken.None);

        var index = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(store.Directory, "index.json")))!;

        Assert.Equal(2, (int)index["schemaVersion"]!);
        var entry = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.Equal(image.Digest, (string?)entry["digest"]);
        Assert.Equal("docker.io/library/a:1", (string?)entry["annotations"]!["io.containerd.image.name"]);
        Assert.Equal("1", (string?)entry["annotations"]!["org.opencontainers.image.ref.name"]);
    }

    [Fact]
    public async Task Readers_always_see_complete_images_while_another_store_instance_adds_them()
    {
        // Two instances on one directory stand for the node's mirror and a `korral image load` process.
        var reader = new ImageStore(_temp["store"]);
        var writer = new ArchiveImporter(new ImageStore(_temp["store"]));
        var second = new ArchiveImporter(new ImageStore(_temp["store"]));
        const int Images = 12;
        var archives = Enumerable.Range(0, Images).Select(i =>
        {
            var docker = new DockerArchiveBuilder();
            var layer = TestImages.LargeLayer(256 * 1024 + i, seed: i);
            docker.AddImage([$"app:{i}"], [layer], [layer]);
            var path = _temp[$"app-{i}.tar"];
            docker.WriteTo(path);
            return path;
        }).ToList();

        using var done = new CancellationTokenSource();
        var reads = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            // One more full pass after the writers finish, so every reader also checks the final index.
            bool last;
            do
            {
                last = done.IsCancellationRequested;
                foreach (var image in reader.ListImages())
                {
                    var manifest = await reader.GetManifestAsync(image.Reference, CancellationToken.None);
                    Assert.NotNull(manifest);
                    var document = System.Text.Json.Nodes.JsonNode.Parse(manifest.Content.Span)!;
                    foreach (var layer in document["layers"]!.AsArray())
                    {
                        Assert.Equal((long)layer!["size"]!, reader.GetBlobSize((string)layer["digest"]!));
                    }

                    Interlocked.Increment(ref reads);
                }
            }
            while (!last);
        })).ToList();

        // Two writers at once, so their index updates must not lose each other's names.
        await Task.WhenAll(
            Task.Run(async () =>
            {
                foreach (var archive in archives.Where((_, i) => i % 2 == 0))
                {
                    await writer.ImportAsync(archive, null, CancellationToken.None);
                }
            }),
            Task.Run(async () =>
            {
                foreach (var archive in archives.Where((_, i) => i % 2 == 1))
                {
                    await second.ImportAsync(archive, null, CancellationToken.None);
                }
            }));
        await done.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Equal(Enumerable.Range(0, Images).Select(i => $"docker.io/library/app:{i}").Order(),
            reader.ListImages().Select(i => i.Reference.ToString()).Order());
        Assert.True(reads >= 3 * Images, $"{reads} reads");
    }
}
