using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Cri;

/// <summary>The CRI client against a real containerd 1.6: the calls that need no pod.</summary>
[Collection(ContainerdCollection.Name)]
public class CriClientIntegrationTests(ContainerdFixture containerd)
{
    [Fact]
    public async Task VersionNamesContainerdAndCriV1()
    {
        var version = await containerd.Client.VersionAsync(new VersionRequest { Version = "0.1.0" }, CancellationToken.None);

        Assert.Equal("containerd", version.RuntimeName);
        Assert.Equal("v1", version.RuntimeApiVersion);
        Assert.StartsWith("1.", version.RuntimeVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusReportsRuntimeAndNetworkReady()
    {
        var status = await containerd.Client.StatusAsync(new StatusRequest(), CancellationToken.None);

        var conditions = status.Status.Conditions.ToDictionary(condition => condition.Type, condition => condition.Status);
        Assert.True(conditions["RuntimeReady"]);
        Assert.True(conditions["NetworkReady"], $"NetworkReady is false: {status.Status}");
    }

    [Fact]
    public async Task FiftyConcurrentCallsShareTheConnection()
    {
        var calls = Enumerable.Range(0, 50)
            .Select(_ => containerd.Client.VersionAsync(new VersionRequest(), CancellationToken.None));

        var answers = await Task.WhenAll(calls);

        Assert.All(answers, answer => Assert.Equal("containerd", answer.RuntimeName));
    }

    [Fact]
    public async Task ImportedImagesAreListed()
    {
        var images = await containerd.Client.ListImagesAsync(new ListImagesRequest(), CancellationToken.None);

        var tags = images.Images.SelectMany(image => image.RepoTags).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(ContainerdFixture.PauseImage, tags);
        Assert.Contains(ContainerdFixture.BusyboxImage, tags);
        var status = await containerd.Client.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = "busybox:1.36" } }, CancellationToken.None);
        Assert.Contains(ContainerdFixture.BusyboxImage, status.Image.RepoTags);
    }

    [Fact]
    public async Task PullingAnImageNoRegistryServesIsACriError()
    {
        // A closed local port: the pull fails at once without reaching outside the machine.
        var error = await Assert.ThrowsAsync<CriException>(() => containerd.Client.PullImageAsync(
            new PullImageRequest { Image = new ImageSpec { Image = "127.0.0.1:1/library/nosuch:1.0" } }, CancellationToken.None));

        Assert.Equal("/runtime.v1.ImageService/PullImage", error.Method);
        Assert.Equal(CriException.Unknown, error.StatusCode);
        Assert.Contains("127.0.0.1:1/library/nosuch:1.0", error.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusOfAnUnknownContainerIsNotFound()
    {
        var error = await Assert.ThrowsAsync<CriException>(() => containerd.Client.ContainerStatusAsync(
            new ContainerStatusRequest { ContainerId = "nope" }, CancellationToken.None));

        Assert.True(error.IsNotFound, error.Message);
        Assert.Contains("\"nope\"", error.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageFsInfoNamesTheOverlaySnapshotter()
    {
        var info = await containerd.Client.ImageFsInfoAsync(new ImageFsInfoRequest(), CancellationToken.None);

        var usage = Assert.Single(info.ImageFilesystems);
        Assert.Equal(Path.Combine(containerd.Options.Root, "io.containerd.snapshotter.v1.overlayfs"), usage.FsId.Mountpoint);
    }
}
