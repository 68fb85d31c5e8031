using System.Diagnostics;
using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

/// <summary>
/// A real containerd (its own instance) pulls through the mirror with CRI PullImage, as the kubelet does, with no
/// internet: hosts.toml for docker.io and registry.k8s.io lists the mirror first.
/// </summary>
public sealed class ContainerdPullTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly List<string> _misses = [];
    private ImageStore _store = null!;
    private RegistryMirror _mirror = null!;
    private ScratchContainerd _containerd = null!;
    private CriImageClient _cri = null!;

    public async Task InitializeAsync()
    {
        _store = new ImageStore(_temp["store"]);
        _mirror = await RegistryMirror.StartAsync(_store, new RegistryMirrorOptions { Log = Miss }, CancellationToken.None);
        _containerd = await ScratchContainerd.StartAsync(TimeSpan.FromSeconds(30));
        await _containerd.MirrorAsync("docker.io", "https://registry-1.docker.io", _mirror.Endpoint);
        await _containerd.MirrorAsync("registry.k8s.io", "https://registry.k8s.io", _mirror.Endpoint);
        _cri = new CriImageClient(_containerd.Socket);
    }

    public async Task DisposeAsync()
    {
        _cri.Dispose();
        await _containerd.DisposeAsync();
        await _mirror.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Containerd_pulls_a_docker_save_image_with_a_gzip_layer_through_the_mirror()
    {
        // A docker save archive with one plain and one gzip layer: containerd checks each layer against the config's
        // diff_ids while unpacking, so this also proves the conversion to an OCI manifest.
        var plain = TestImages.Layer(("bin/sh", "#!/bin/true"), ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"));
        var compressed = TestImages.Layer(("etc/motd", "busybox through the korral mirror\n"));
        var docker = new DockerArchiveBuilder();
        var imageId = docker.AddImage(["busybox:1.28"], [plain, TestImages.Gzip(compressed)], [plain, compressed]);
        docker.WriteTo(_temp["busybox.tar"]);
        await new ArchiveImporter(_store).ImportAsync(_temp["busybox.tar"], null, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var pulled = await PullAsync("docker.io/library/busybox:1.28", timeout.Token);

        Assert.Equal(imageId, pulled.ImageRef);
        var status = await _cri.ImageStatusAsync("busybox:1.28", timeout.Token);
        Assert.Equal(imageId, status.Image.Id);
        Assert.Contains("docker.io/library/busybox:1.28", status.Image.RepoTags);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the pull took {clock.Elapsed}");
    }

    [Fact]
    public async Task Containerd_pulls_an_image_index_from_registry_k8s_io_and_sees_images_loaded_after_it_started()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var layout = new OciLayoutBuilder();
        var pause = layout.AddImage(TestImages.Layer(("pause", "\u007fELF")), gzipLayer: true);
        var index = layout.AddIndex((pause.Digest, pause.Size, "amd64"));
        layout.Name(index.Digest, index.Size, "registry.k8s.io/pause:3.10", mediaType: OciMediaTypes.ImageIndex);
        layout.WriteTo(_temp["pause.tar"]);

        // Loaded only now, into a store the running mirror reads (as `korral image load` beside a running node does).
        await new ArchiveImporter(new ImageStore(_store.Directory)).ImportAsync(_temp["pause.tar"], null, CancellationToken.None);
        var pulled = await PullAsync("registry.k8s.io/pause:3.10", timeout.Token);

        Assert.Equal(pause.ConfigDigest, pulled.ImageRef);
        var status = await _cri.ImageStatusAsync("registry.k8s.io/pause:3.10", timeout.Token);
        Assert.Contains($"registry.k8s.io/pause@{index.Digest}", status.Image.RepoDigests);
    }

    private async Task<Korral.Kubelet.Cri.V1.PullImageResponse> PullAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await _cri.PullImageAsync(image, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            string[] misses;
            lock (_misses)
            {
                misses = [.. _misses];
            }

            throw new InvalidOperationException(
                $"{e.Message}\nmirror misses: {string.Join("; ", misses)}\ncontainerd log:\n{await File.ReadAllTextAsync(_containerd.LogFile)}", e);
        }
    }

    private void Miss(string line)
    {
        lock (_misses)
        {
            _misses.Add(line);
        }
    }
}
