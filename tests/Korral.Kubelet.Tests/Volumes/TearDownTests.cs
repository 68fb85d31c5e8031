using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class TearDownTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();

    [Fact]
    public async Task TearDownUnmountsAndRemovesEverythingOfThePodButNotHostPaths()
    {
        var host = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "host")).FullName;
        await File.WriteAllTextAsync(Path.Combine(host, "keep"), "x");
        _sandbox.Source.Secrets["default/db"] = new Secret { Data = new Dictionary<string, byte[]> { ["pw"] = [1] } };
        var pod = VolumeSandbox.Pod(
            new Volume { Name = "mem", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory", SizeLimit = Quantity.Parse("1Mi") } },
            new Volume { Name = "disk", EmptyDir = new EmptyDirVolumeSource() },
            new Volume { Name = "creds", Secret = new SecretVolumeSource { SecretName = "db" } },
            new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = host } });
        var container = pod.Spec!.Containers![0];
        container.VolumeMounts = [new VolumeMount { Name = "host", MountPath = "/h", SubPath = "sub" }, new VolumeMount { Name = "mem", MountPath = "/m", SubPath = "x" }];
        var volumes = await _sandbox.SetUpAsync(pod);
        _sandbox.Manager.MountsFor(pod, container, volumes, new Dictionary<string, string>());
        var podDirectory = _sandbox.PodDirectory(pod);
        Assert.Equal(4, HostMountsProbe.Under(podDirectory).Count);

        await _sandbox.Manager.TearDownAsync(pod.Metadata!.Uid!, CancellationToken.None);

        Assert.Empty(HostMountsProbe.Under(podDirectory));
        Assert.False(Directory.Exists(podDirectory));
        Assert.True(File.Exists(Path.Combine(host, "keep")));
        Assert.True(Directory.Exists(Path.Combine(host, "sub")));

        // Tearing down twice is harmless.
        await _sandbox.Manager.TearDownAsync(pod.Metadata.Uid!, CancellationToken.None);
    }

    [Fact]
    public async Task OrphanCleanupRemovesOnlyPodsThatAreNotLive()
    {
        var live = VolumeSandbox.Pod(new Volume { Name = "mem", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory" } });
        var orphan = VolumeSandbox.Pod(new Volume { Name = "mem", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory" } });
        await _sandbox.SetUpAsync(live);
        await _sandbox.SetUpAsync(orphan);

        var removed = await _sandbox.Manager.CleanupOrphansAsync(new HashSet<string> { live.Metadata!.Uid! }, CancellationToken.None);

        Assert.Equal([orphan.Metadata!.Uid!], removed);
        Assert.False(Directory.Exists(_sandbox.PodDirectory(orphan)));
        Assert.Empty(HostMountsProbe.Under(_sandbox.PodDirectory(orphan)));
        Assert.Single(HostMountsProbe.Under(_sandbox.PodDirectory(live)));
    }

    public void Dispose() => _sandbox.Dispose();
}
