using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Volumes.Host;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class ConfigMapVolumeTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();

    public ConfigMapVolumeTests()
    {
        _sandbox.Source.ConfigMaps["default/app"] = new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "app", Namespace = "default" },
            Data = new Dictionary<string, string> { ["app.conf"] = "port=80", ["log.level"] = "info" },
            BinaryData = new Dictionary<string, byte[]> { ["logo.bin"] = [0, 1, 2] },
        };
    }

    [Fact]
    public async Task EveryKeyIsALinkIntoTheDataDirectoryWithTheDefaultMode()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } });

        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["config"];

        Assert.Equal(Path.Combine(_sandbox.PodDirectory(pod), "volumes", "kubernetes.io~configmap", "config"), volume.HostPath);
        Assert.True(volume.ReadOnly);
        Assert.Empty(HostMountsProbe.Under(volume.HostPath));
        Assert.Equal("..data/app.conf", new FileInfo(Path.Combine(volume.HostPath, "app.conf")).LinkTarget);
        Assert.Equal("port=80", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "app.conf")));
        Assert.Equal([0, 1, 2], await File.ReadAllBytesAsync(Path.Combine(volume.HostPath, "logo.bin")));
        Assert.Equal((UnixFileMode)420, UnixModes.Get(Path.Combine(volume.HostPath, "..data", "log.level")));
    }

    [Fact]
    public async Task ItemsSelectKeysToNestedPathsWithTheirModes()
    {
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "config",
            ConfigMap = new ConfigMapVolumeSource
            {
                Name = "app",
                DefaultMode = 256,
                Items = [new KeyToPath { Key = "app.conf", Path = "etc/app/app.conf", Mode = 384 }, new KeyToPath { Key = "log.level", Path = "level" }],
            },
        });

        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["config"];

        Assert.Equal("..data/etc", new FileInfo(Path.Combine(volume.HostPath, "etc")).LinkTarget);
        Assert.Equal("port=80", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "etc/app/app.conf")));
        Assert.Equal((UnixFileMode)384, UnixModes.Get(Path.Combine(volume.HostPath, "..data/etc/app/app.conf")));
        Assert.Equal((UnixFileMode)256, UnixModes.Get(Path.Combine(volume.HostPath, "..data/level")));
        Assert.False(File.Exists(Path.Combine(volume.HostPath, "logo.bin")));
    }

    [Fact]
    public async Task MissingConfigMapFailsWithUpstreamsMessageUnlessOptional()
    {
        var required = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "absent" } });
        var optional = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "absent", Optional = true } });

        Assert.Equal(["MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found"], await _sandbox.FailuresAsync(required));
        var volume = (await _sandbox.SetUpAsync(optional)).Volumes["config"];
        Assert.Equal(["..data"], Directory.EnumerateFileSystemEntries(volume.HostPath).Select(Path.GetFileName).Where(n => !n!.StartsWith("..2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MissingItemKeyFailsUnlessOptional()
    {
        var items = new List<KeyToPath> { new() { Key = "nope", Path = "nope" }, new() { Key = "app.conf", Path = "app.conf" } };
        var required = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app", Items = items } });
        var optional = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app", Items = items, Optional = true } });

        Assert.Equal(["MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: nope"], await _sandbox.FailuresAsync(required));
        var volume = (await _sandbox.SetUpAsync(optional)).Volumes["config"];
        Assert.True(File.Exists(Path.Combine(volume.HostPath, "app.conf")));
        Assert.False(File.Exists(Path.Combine(volume.HostPath, "nope")));
    }

    [Fact]
    public async Task RefreshProjectsChangedDataAndDropsRemovedKeys()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } });
        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["config"];
        var before = new FileInfo(Path.Combine(volume.HostPath, "..data")).LinkTarget;

        Assert.Empty(await _sandbox.Manager.RefreshAsync(pod, CancellationToken.None));
        Assert.Equal(before, new FileInfo(Path.Combine(volume.HostPath, "..data")).LinkTarget);

        _sandbox.Source.ConfigMaps["default/app"].Data = new Dictionary<string, string> { ["app.conf"] = "port=8080" };
        _sandbox.Source.ConfigMaps["default/app"].BinaryData = null;
        Assert.Empty(await _sandbox.Manager.RefreshAsync(pod, CancellationToken.None));

        Assert.Equal("port=8080", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(volume.HostPath, "app.conf"))));
        Assert.False(File.Exists(Path.Combine(volume.HostPath, "log.level")));
        Assert.False(new FileInfo(Path.Combine(volume.HostPath, "log.level")).LinkTarget is not null);
    }

    [Fact]
    public async Task RefreshReportsAVanishedConfigMapAndKeepsTheOldContent()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } });
        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["config"];
        _sandbox.Source.ConfigMaps.TryRemove("default/app", out _);

        var failure = Assert.Single(await _sandbox.Manager.RefreshAsync(pod, CancellationToken.None));

        Assert.Equal("config", failure.VolumeName);
        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap \"app\" not found", failure.Message);
        Assert.Equal("port=80", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "app.conf")));
    }

    public void Dispose() => _sandbox.Dispose();
}
