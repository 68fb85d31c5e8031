using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

public sealed class ImageDirectoryImporterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<string> _log = [];
    private readonly ImageStore _store;
    private readonly ImageDirectoryImporter _importer;
    private readonly string _images;

    public ImageDirectoryImporterTests()
    {
        _store = new ImageStore(ImageStore.DefaultDirectory(_temp.Path));
        _importer = new ImageDirectoryImporter(_store, _log.Add);
        _images = ImageDirectoryImporter.DefaultDirectory(_temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Keeps_archives_and_the_store_under_the_agent_root()
    {
        Assert.Equal(Path.Combine(_temp.Path, "images"), _images);
        Assert.Equal(Path.Combine(_temp.Path, "images", "store"), _store.Directory);
    }

    [Fact]
    public async Task A_missing_directory_has_nothing_to_import()
    {
        Assert.Empty(await _importer.ImportNewAsync(_temp["nowhere"], CancellationToken.None));
    }

    [Fact]
    public async Task Imports_each_archive_once_and_again_when_it_changes()
    {
        WriteArchive("busybox.tar", "busybox:1.28", "a");
        WriteArchive("nginx.tar.gz", "nginx:latest", "b", gzip: true);
        WriteArchive("pause.tgz", "registry.k8s.io/pause:3.10", "c", gzip: true);
        await File.WriteAllTextAsync(Path.Combine(_images, "notes.txt"), "not an archive");

        var first = await _importer.ImportNewAsync(_images, CancellationToken.None);

        Assert.Equal(["docker.io/library/busybox:1.28", "docker.io/library/nginx:latest", "registry.k8s.io/pause:3.10"],
            first.Select(i => i.Reference.ToString()));
        Assert.Empty(await _importer.ImportNewAsync(_images, CancellationToken.None));

        // A new importer (a restarted node) remembers too, through the state file in the store.
        var restarted = new ImageDirectoryImporter(new ImageStore(_store.Directory), _log.Add);
        Assert.Empty(await restarted.ImportNewAsync(_images, CancellationToken.None));

        WriteArchive("busybox.tar", "busybox:1.28", "changed");
        File.SetLastWriteTimeUtc(Path.Combine(_images, "busybox.tar"), DateTime.UtcNow.AddMinutes(1));
        var again = Assert.Single(await restarted.ImportNewAsync(_images, CancellationToken.None));
        Assert.Equal("docker.io/library/busybox:1.28", again.Reference.ToString());
        Assert.NotEqual(first[0].Target.Digest, again.Target.Digest);
    }

    [Fact]
    public async Task Skips_a_broken_archive_and_tries_it_again_next_time()
    {
        WriteArchive("good.tar", "good:1", "g");
        Directory.CreateDirectory(_images);
        await File.WriteAllTextAsync(Path.Combine(_images, "broken.tar"), new string('x', 4096));

        var imported = Assert.Single(await _importer.ImportNewAsync(_images, CancellationToken.None));

        Assert.Equal("docker.io/library/good:1", imported.Reference.ToString());
        Assert.Contains(_log, l => l.StartsWith("skipping image archive broken.tar: ", StringComparison.Ordinal));

        WriteArchive("broken.tar", "fixed:1", "f");
        File.SetLastWriteTimeUtc(Path.Combine(_images, "broken.tar"), DateTime.UtcNow.AddMinutes(1));
        var fixedImage = Assert.Single(await _importer.ImportNewAsync(_images, CancellationToken.None));
        Assert.Equal("docker.io/library/fixed:1", fixedImage.Reference.ToString());
    }

    private void WriteArchive(string fileName, string tag, string content, bool gzip = false)
    {
        Directory.CreateDirectory(_images);
        var docker = new DockerArchiveBuilder();
        var layer = TestImages.Layer(("content", content));
        docker.AddImage([tag], [layer], [layer]);
        docker.WriteTo(Path.Combine(_images, fileName), gzip);
    }
}
