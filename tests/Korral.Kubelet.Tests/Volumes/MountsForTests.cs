using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Volumes;
using Korral.Kubelet.Volumes.Host;
using Xunit;
using MountPropagation = Korral.Kubelet.Cri.V1.MountPropagation;
using ApiPod = Korral.Api.Models.CoreV1.Pod;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class MountsForTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly VolumeSandbox _sandbox = new();

    [Fact]
    public async Task MountsCarryPathsReadOnlyAndPropagation()
    {
        _sandbox.Source.ConfigMaps["default/app"] = new ConfigMap { Data = new Dictionary<string, string> { ["k"] = "v" } };
        var (pod, container) = PodWith(
            [new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() }, new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } }],
            new VolumeMount { Name = "scratch", MountPath = "/scratch" },
            new VolumeMount { Name = "scratch", MountPath = "/ro", ReadOnly = true, MountPropagation = "HostToContainer" },
            new VolumeMount { Name = "config", MountPath = "/etc/app", MountPropagation = "Bidirectional" });
        var volumes = await _sandbox.SetUpAsync(pod);

        var mounts = _sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment);

        Assert.Equal(
            [
                ("/scratch", volumes.Volumes["scratch"].HostPath, false, MountPropagation.PropagationPrivate),
                ("/ro", volumes.Volumes["scratch"].HostPath, true, MountPropagation.PropagationHostToContainer),
                ("/etc/app", volumes.Volumes["config"].HostPath, true, MountPropagation.PropagationBidirectional),
            ],
            mounts.Select(m => (m.ContainerPath, m.HostPath, m.Readonly, m.Propagation)));
        Assert.All(mounts, m => Assert.False(m.SelinuxRelabel));
    }

    [Fact]
    public async Task SubPathIsCreatedInsideTheVolumeAndBindMounted()
    {
        var (pod, container) = PodWith([Scratch()], new VolumeMount { Name = "scratch", MountPath = "/data", SubPath = "a/b" });
        var volumes = await _sandbox.SetUpAsync(pod);
        var volumePath = volumes.Volumes["scratch"].HostPath;

        var mount = Assert.Single(_sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment));

        Assert.True(Directory.Exists(Path.Combine(volumePath, "a/b")));
        Assert.Equal((UnixFileMode)0x1FF, UnixModes.Get(Path.Combine(volumePath, "a")));
        Assert.Equal(Path.Combine(_sandbox.PodDirectory(pod), "volume-subpaths", "scratch", "app", "0"), mount.HostPath);
        Assert.Single(HostMountsProbe.Under(mount.HostPath));
        await File.WriteAllTextAsync(Path.Combine(mount.HostPath, "through-bind"), "x");
        Assert.True(File.Exists(Path.Combine(volumePath, "a/b/through-bind")));

        // A container restart reuses the bind.
        _sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment);
        Assert.Single(HostMountsProbe.Under(mount.HostPath));
    }

    [Fact]
    public async Task SubPathExprExpandsTheContainersEnvironment()
    {
        var (pod, container) = PodWith([Scratch()], new VolumeMount { Name = "scratch", MountPath = "/logs", SubPathExpr = "logs/$(POD_NAME)/$$x" });
        var volumes = await _sandbox.SetUpAsync(pod);

        _sandbox.Manager.MountsFor(pod, container, volumes, new Dictionary<string, string> { ["POD_NAME"] = "web-1" });

        Assert.True(Directory.Exists(Path.Combine(volumes.Volumes["scratch"].HostPath, "logs/web-1/$x")));
        var e = Assert.Throws<ContainerMountException>(() => _sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment));
        Assert.Equal("missing value for POD_NAME", e.Message);
    }

    [Theory]
    [InlineData("../../etc", "unable to provision SubPath `../../etc`: must not contain '..'")]
    [InlineData("/etc", "error SubPath `/etc` must not be an absolute path")]
    [InlineData("out", "failed to prepare subPath for volumeMount \"scratch\" of container \"app\"")]
    [InlineData("out/passwd", "failed to prepare subPath for volumeMount \"scratch\" of container \"app\"")]
    [InlineData("out/new-dir", "failed to create subPath directory for volumeMount \"scratch\" of container \"app\"")]
    public async Task SubPathsLeadingOutOfTheVolumeAreRejected(string subPath, string message)
    {
        var outside = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "passwd"), "root");
        var (pod, container) = PodWith([Scratch()], new VolumeMount { Name = "scratch", MountPath = "/x", SubPath = subPath });
        var volumes = await _sandbox.SetUpAsync(pod);
        File.CreateSymbolicLink(Path.Combine(volumes.Volumes["scratch"].HostPath, "out"), outside);

        var e = Assert.Throws<ContainerMountException>(() => _sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment));

        Assert.Equal(message, e.Message);
        Assert.Empty(HostMountsProbe.Under(_sandbox.PodDirectory(pod)));
        Assert.False(Directory.Exists(Path.Combine(outside, "new-dir")));
    }

    [Fact]
    public async Task SymlinksThatStayInsideTheVolumeAreFollowed()
    {
        var (pod, container) = PodWith([Scratch()], new VolumeMount { Name = "scratch", MountPath = "/x", SubPath = "link" });
        var volumes = await _sandbox.SetUpAsync(pod);
        var volumePath = volumes.Volumes["scratch"].HostPath;
        Directory.CreateDirectory(Path.Combine(volumePath, "real"));
        File.CreateSymbolicLink(Path.Combine(volumePath, "link"), "real");

        var mount = Assert.Single(_sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment));

        await File.WriteAllTextAsync(Path.Combine(mount.HostPath, "f"), "x");
        Assert.True(File.Exists(Path.Combine(volumePath, "real/f")));
    }

    [Fact]
    public async Task ConfigMapKeysMountedThroughSubPathKeepTheirContentOnRefresh()
    {
        _sandbox.Source.ConfigMaps["default/app"] = new ConfigMap { Data = new Dictionary<string, string> { ["app.conf"] = "v1" } };
        var (pod, container) = PodWith(
            [new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } }],
            new VolumeMount { Name = "config", MountPath = "/etc/app.conf", SubPath = "app.conf" });
        var volumes = await _sandbox.SetUpAsync(pod);
        var mount = Assert.Single(_sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment));
        Assert.True(mount.Readonly);

        _sandbox.Source.ConfigMaps["default/app"].Data!["app.conf"] = "v2";
        Assert.Empty(await _sandbox.Manager.RefreshAsync(pod, CancellationToken.None));

        Assert.Equal("v2", await File.ReadAllTextAsync(Path.Combine(volumes.Volumes["config"].HostPath, "app.conf")));
        Assert.Equal("v1", await File.ReadAllTextAsync(mount.HostPath));
    }

    [Fact]
    public async Task AMountOfAnUnknownVolumeIsAConfigError()
    {
        var (pod, container) = PodWith([Scratch()], new VolumeMount { Name = "nope", MountPath = "/x" });
        var volumes = await _sandbox.SetUpAsync(pod);

        var e = Assert.Throws<ContainerMountException>(() => _sandbox.Manager.MountsFor(pod, container, volumes, NoEnvironment));

        Assert.Equal("cannot find volume \"nope\" to mount into container \"app\"", e.Message);
        Assert.Equal("CreateContainerConfigError", ContainerMountException.Reason);
    }

    public void Dispose() => _sandbox.Dispose();

    private static Volume Scratch() => new() { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() };

    private static (ApiPod Pod, Container Container) PodWith(Volume[] volumes, params VolumeMount[] mounts)
    {
        var pod = VolumeSandbox.Pod(volumes);
        var container = pod.Spec!.Containers![0];
        container.VolumeMounts = [.. mounts];
        return (pod, container);
    }
}
