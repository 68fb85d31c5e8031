using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class FsGroupTests : IDisposable
{
    private const long FsGroup = 2345;
    private readonly VolumeSandbox _sandbox = new();

    [Fact]
    public async Task ProjectedFilesGetTheGroupAndGroupReadBeforeTheyAreVisible()
    {
        _sandbox.Source.Secrets["default/db"] = new Secret { Data = new Dictionary<string, byte[]> { ["pw"] = Encoding.UTF8.GetBytes("x") } };
        _sandbox.Source.IssueToken = _ => "jwt";
        var pod = VolumeSandbox.Pod(
            new Volume { Name = "creds", Secret = new SecretVolumeSource { SecretName = "db", DefaultMode = 256 } },
            new Volume { Name = "token", Projected = new ProjectedVolumeSource { DefaultMode = 420, Sources = [new VolumeProjection { ServiceAccountToken = new ServiceAccountTokenProjection { Path = "token" } }] } });
        pod.Spec!.SecurityContext = new PodSecurityContext { FsGroup = FsGroup };

        var volumes = (await _sandbox.SetUpAsync(pod)).Volumes;

        var secretFile = Path.Combine(volumes["creds"].HostPath, "pw");
        Assert.Equal(FsGroup, Libc.FileGroup(secretFile));
        Assert.Equal((UnixFileMode)288, UnixModes.Get(Path.Combine(volumes["creds"].HostPath, "..data", "pw")));
        var data = Path.Combine(volumes["creds"].HostPath, new FileInfo(Path.Combine(volumes["creds"].HostPath, "..data")).LinkTarget!);
        Assert.True(UnixModes.Get(data).HasFlag(UnixFileMode.SetGroup));
        Assert.Equal(FsGroup, Libc.FileGroup(data));

        // upstream: with an fsGroup the token is 0600, made 0640 by the group ownership.
        Assert.Equal((UnixFileMode)416, UnixModes.Get(Path.Combine(volumes["token"].HostPath, "..data", "token")));
        Assert.Equal(FsGroup, Libc.FileGroup(Path.Combine(volumes["token"].HostPath, "token")));
    }

    [Fact]
    public async Task NewEmptyDirsGetTheGroupWithSetGid()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() });
        pod.Spec!.SecurityContext = new PodSecurityContext { FsGroup = FsGroup };

        var path = (await _sandbox.SetUpAsync(pod)).Volumes["data"].HostPath;

        Assert.Equal(FsGroup, Libc.FileGroup(path));
        Assert.Equal((UnixFileMode)0x1FF | UnixFileMode.SetGroup, UnixModes.Get(path));
    }

    public void Dispose() => _sandbox.Dispose();
}
