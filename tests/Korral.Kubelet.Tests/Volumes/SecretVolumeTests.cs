using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Volumes.Host;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class SecretVolumeTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();

    public SecretVolumeTests()
    {
        _sandbox.Source.Secrets["default/db"] = new Secret
        {
            Metadata = new ObjectMeta { Name = "db", Namespace = "default" },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cret"), ["user"] = Encoding.UTF8.GetBytes("admin") },
        };
    }

    [Fact]
    public async Task SecretIsProjectedOnATmpfsWithItsModes()
    {
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "creds",
            Secret = new SecretVolumeSource { SecretName = "db", DefaultMode = 256, Items = [new KeyToPath { Key = "password", Path = "pw" }] },
        });

        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["creds"];

        Assert.Equal(Path.Combine(_sandbox.PodDirectory(pod), "volumes", "kubernetes.io~secret", "creds"), volume.HostPath);
        Assert.True(volume.ReadOnly);
        Assert.Equal("tmpfs", Assert.Single(HostMountsProbe.Under(volume.HostPath)).Type);
        Assert.Equal("s3cret", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "pw")));
        Assert.Equal((UnixFileMode)256, UnixModes.Get(Path.Combine(volume.HostPath, "..data", "pw")));
        Assert.False(File.Exists(Path.Combine(volume.HostPath, "user")));

        // A second set-up (agent restart, refresh) neither stacks another tmpfs nor hides the content.
        await _sandbox.SetUpAsync(pod);
        Assert.Single(HostMountsProbe.Under(volume.HostPath));
        Assert.Equal("s3cret", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "pw")));
    }

    [Fact]
    public async Task MissingSecretOrKeyFailsWithUpstreamsMessages()
    {
        var missing = VolumeSandbox.Pod(new Volume { Name = "creds", Secret = new SecretVolumeSource { SecretName = "absent" } });
        var missingKey = VolumeSandbox.Pod(new Volume
        {
            Name = "creds",
            Secret = new SecretVolumeSource { SecretName = "db", Items = [new KeyToPath { Key = "token", Path = "token" }] },
        });
        var optional = VolumeSandbox.Pod(new Volume { Name = "creds", Secret = new SecretVolumeSource { SecretName = "absent", Optional = true } });

        Assert.Equal(["MountVolume.SetUp failed for volume \"creds\" : secret \"absent\" not found"], await _sandbox.FailuresAsync(missing));
        Assert.Equal(["MountVolume.SetUp failed for volume \"creds\" : references non-existent secret key: token"], await _sandbox.FailuresAsync(missingKey));
        Assert.NotNull((await _sandbox.SetUpAsync(optional)).Volumes["creds"]);
    }

    public void Dispose() => _sandbox.Dispose();
}
