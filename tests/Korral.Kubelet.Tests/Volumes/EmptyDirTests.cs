using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class EmptyDirTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();

    [Fact]
    public async Task DiskEmptyDirIsAWorldWritableDirectoryThatKeepsItsContentAcrossSetUps()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() });

        var volumes = await _sandbox.SetUpAsync(pod);

        var volume = volumes.Volumes["scratch"];
        Assert.Equal(Path.Combine(_sandbox.PodDirectory(pod), "volumes", "kubernetes.io~empty-dir", "scratch"), volume.HostPath);
        Assert.Equal((UnixFileMode)0x1FF, UnixModes.Get(volume.HostPath));
        Assert.False(volume.ReadOnly);
        Assert.Empty(HostMountsProbe.Under(volume.HostPath));

        await File.WriteAllTextAsync(Path.Combine(volume.HostPath, "kept"), "x");
        await _sandbox.SetUpAsync(pod);
        Assert.True(File.Exists(Path.Combine(volume.HostPath, "kept")));
    }

    [Fact]
    public async Task MemoryEmptyDirIsATmpfsSizedBySizeLimit()
    {
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "cache",
            EmptyDir = new EmptyDirVolumeSource { Medium = "Memory", SizeLimit = Quantity.Parse("2Mi") },
        });

        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["cache"];
        await _sandbox.SetUpAsync(pod);

        var mount = Assert.Single(HostMountsProbe.Under(volume.HostPath));
        Assert.Equal("tmpfs", mount.Type);
        Assert.Contains("size=2048k", mount.Options, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HugePages", "MountVolume.SetUp failed for volume \"v\" : emptyDir medium \"HugePages\" is not supported by Korral")]
    [InlineData("Disk", "MountVolume.SetUp failed for volume \"v\" : unknown storage medium \"Disk\"")]
    public async Task UnsupportedMediumFailsTheVolume(string medium, string message)
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "v", EmptyDir = new EmptyDirVolumeSource { Medium = medium } });

        Assert.Equal([message], await _sandbox.FailuresAsync(pod));
    }

    public void Dispose() => _sandbox.Dispose();
}
