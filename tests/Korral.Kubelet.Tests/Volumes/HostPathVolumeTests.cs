using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class HostPathVolumeTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();
    private readonly string _host;
    private readonly Socket _socket;

    public HostPathVolumeTests()
    {
        _host = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "host")).FullName;
        Directory.CreateDirectory(Path.Combine(_host, "dir"));
        File.WriteAllText(Path.Combine(_host, "file"), "x");
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(_host, "sock")));
    }

    [Theory]
    [InlineData("dir", "", false)]
    [InlineData("missing", "", false)]
    [InlineData("dir", "Directory", false)]
    [InlineData("dir", "DirectoryOrCreate", false)]
    [InlineData("file", "File", true)]
    [InlineData("file", "FileOrCreate", true)]
    [InlineData("sock", "Socket", true)]
    [InlineData("/dev/null", "CharDevice", true)]
    public async Task MatchingTypesUseTheHostPathItself(string name, string type, bool isFile)
    {
        var path = Path.Combine(_host, name);
        var volume = (await _sandbox.SetUpAsync(Pod(path, type))).Volumes["host"];

        Assert.Equal(path, volume.HostPath);
        Assert.Equal("kubernetes.io~host-path", volume.Plugin);
        Assert.False(volume.ReadOnly);
        Assert.Equal(isFile, volume.IsFile);
    }

    [Fact]
    public async Task OrCreateTypesCreateWithUpstreamsModes()
    {
        var directory = Path.Combine(_host, "new/nested");
        var file = Path.Combine(_host, "new-file");

        await _sandbox.SetUpAsync(Pod(directory, "DirectoryOrCreate"));
        var created = (await _sandbox.SetUpAsync(Pod(file, "FileOrCreate"))).Volumes["host"];

        Assert.Equal((UnixFileMode)493, UnixModes.Get(directory));
        Assert.Equal((UnixFileMode)420, UnixModes.Get(file));
        Assert.True(created.IsFile);
    }

    [Theory]
    [InlineData("file", "Directory", "hostPath type check failed: {0} is not a directory, it's a File")]
    [InlineData("missing", "Directory", "hostPath {0} doesn't exist")]
    [InlineData("dir", "File", "hostPath type check failed: {0} is not a file, it's a Directory")]
    [InlineData("missing", "File", "hostPath {0} doesn't exist")]
    [InlineData("dir", "Socket", "hostPath type check failed: {0} is not a socket file, it's a Directory")]
    [InlineData("file", "CharDevice", "hostPath type check failed: {0} is not a character device, it's a File")]
    [InlineData("/dev/null", "BlockDevice", "hostPath type check failed: {0} is not a block device, it's a CharDevice")]
    [InlineData("dir", "Weird", "Weird is an invalid volume type")]
    public async Task MismatchedTypesFailWithUpstreamsMessages(string name, string type, string message)
    {
        var path = Path.Combine(_host, name);

        Assert.Equal(
            [$"MountVolume.SetUp failed for volume \"host\" : {string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path)}"],
            await _sandbox.FailuresAsync(Pod(path, type)));
    }

    [Fact]
    public async Task UnsupportedVolumeTypesAreNamed()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "share", Nfs = new NFSVolumeSource { Server = "nfs", Path = "/export" } });

        Assert.Equal(["MountVolume.SetUp failed for volume \"share\" : volume type nfs is not supported by Korral"], await _sandbox.FailuresAsync(pod));
    }

    public void Dispose()
    {
        _socket.Dispose();
        _sandbox.Dispose();
    }

    private static Korral.Api.Models.CoreV1.Pod Pod(string path, string type) =>
        VolumeSandbox.Pod(new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = path, Type = type } });
}
