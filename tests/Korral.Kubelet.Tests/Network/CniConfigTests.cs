using System.Text.Json;
using Korral.Kubelet.Network;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Network;

public sealed class CniConfigTests : IDisposable
{
    private readonly DirectoryInfo _conf = Directory.CreateTempSubdirectory("korral-cni-");

    [Fact]
    public void NodeNetworkRendersTheGoldenConflist()
    {
        var options = new CniNetworkOptions { ConfDir = _conf.FullName, PodCidr = "10.42.3.0/24" };

        GoldenFile.Matches(CniConfig.Render(options), "10-korral-pods.conflist");
    }

    [Fact]
    public void NameBridgeAndDataDirAreConfigurable()
    {
        var options = new CniNetworkOptions
        {
            ConfDir = _conf.FullName,
            PodCidr = "10.199.0.0/24",
            NetworkName = "kktest-pods",
            BridgeName = "kktest0",
            DataDir = "/tmp/host-local",
        };

        using var conflist = JsonDocument.Parse(CniConfig.Render(options));
        var root = conflist.RootElement;
        var bridge = root.GetProperty("plugins")[0];

        Assert.Equal("kktest-pods", root.GetProperty("name").GetString());
        Assert.Equal("kktest0", bridge.GetProperty("bridge").GetString());
        Assert.Equal("/tmp/host-local", bridge.GetProperty("ipam").GetProperty("dataDir").GetString());
        Assert.Equal("10-kktest-pods.conflist", options.FileName);
    }

    [Fact]
    public void WriteIsAtomicAndLeavesOnlyTheConflist()
    {
        var options = new CniNetworkOptions { ConfDir = Path.Combine(_conf.FullName, "net.d"), PodCidr = "10.42.0.0/24" };

        var path = CniConfig.Write(options);
        var first = File.GetLastWriteTimeUtc(path);
        CniConfig.Write(options);

        Assert.Equal(Path.Combine(options.ConfDir, "10-korral-pods.conflist"), path);
        Assert.Equal(CniConfig.Render(options), File.ReadAllText(path));
        Assert.Equal(first, File.GetLastWriteTimeUtc(path));
        Assert.Equal(["10-korral-pods.conflist"], Directory.EnumerateFiles(options.ConfDir).Select(Path.GetFileName));
    }

    [Fact]
    public void ChangedCidrReplacesTheFile()
    {
        var options = new CniNetworkOptions { ConfDir = _conf.FullName, PodCidr = "10.42.0.0/24" };
        CniConfig.Write(options);

        var path = CniConfig.Write(options with { PodCidr = "10.42.7.0/24" });

        Assert.Contains("\"gateway\": \"10.42.7.1\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.42.0.0/24", "10.42.0.0/24", "10.42.0.1")]
    [InlineData("10.42.0.7/24", "10.42.0.0/24", "10.42.0.1")]
    [InlineData("10.244.0.0/16", "10.244.0.0/16", "10.244.0.1")]
    [InlineData("192.168.5.64/30", "192.168.5.64/30", "192.168.5.65")]
    public void GatewayIsTheFirstAddressOfTheCidr(string cidr, string subnet, string gateway)
    {
        Assert.Equal((subnet, gateway), CniConfig.ParsePodCidr(cidr));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.42.0.0")]
    [InlineData("10.42.0.0/33")]
    [InlineData("10.42.0.0/31")]
    [InlineData("fd00::/64")]
    public void InvalidCidrsAreRejected(string cidr)
    {
        Assert.Throws<ArgumentException>(() => CniConfig.ParsePodCidr(cidr));
    }

    public void Dispose() => _conf.Delete(recursive: true);
}
