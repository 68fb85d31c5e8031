using Korral.Kubelet.Network;

namespace Korral.Kubelet.Tests.Network;

public sealed class NodeSysctlsTests : IDisposable
{
    private readonly DirectoryInfo _procSys = Directory.CreateTempSubdirectory("korral-sysctl-");
    private readonly List<string> _log = [];

    [Fact]
    public void SetsValuesThatDifferAndLeavesOthers()
    {
        Write("net/ipv4/ip_forward", "0\n");
        Write("net/bridge/bridge-nf-call-iptables", "1\n");

        var problems = NodeSysctls.Apply(_log.Add, _procSys.FullName);

        Assert.Empty(problems);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_procSys.FullName, "net/ipv4/ip_forward")));
        Assert.Equal(["sysctl net.ipv4.ip_forward = 1"], _log);
    }

    [Fact]
    public void MissingSettingIsReportedNotThrown()
    {
        Write("net/ipv4/ip_forward", "1\n");

        var problems = NodeSysctls.Apply(_log.Add, _procSys.FullName);

        Assert.Equal(["sysctl net.bridge.bridge-nf-call-iptables is not available on this kernel; pod networking may not work fully"], problems);
        Assert.Equal(problems, _log);
    }

    [Fact]
    public void UnwritableSettingIsReportedNotThrown()
    {
        Write("net/ipv4/ip_forward", "0\n");
        // A directory where the file should be: writing fails the way a read-only /proc/sys does.
        Directory.CreateDirectory(Path.Combine(_procSys.FullName, "net/bridge/bridge-nf-call-iptables"));

        var problems = NodeSysctls.Apply(_log.Add, _procSys.FullName);

        Assert.Single(problems);
        Assert.StartsWith("sysctl net.bridge.bridge-nf-call-iptables could not be set to 1: ", problems[0], StringComparison.Ordinal);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_procSys.FullName, "net/ipv4/ip_forward")));
    }

    public void Dispose() => _procSys.Delete(recursive: true);

    private void Write(string relative, string value)
    {
        var path = Path.Combine(_procSys.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, value);
    }
}
