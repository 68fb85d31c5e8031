using Korral.Kubelet.Containerd;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Containerd;

public sealed class RegistryHostsTests : IDisposable
{
    private readonly DirectoryInfo _certs = Directory.CreateTempSubdirectory("korral-certs-");

    [Fact]
    public void WritesOneHostsFilePerUpstreamAndOneForTheMirror()
    {
        var written = RegistryHosts.Write(_certs.FullName, "http://127.0.0.1:5123");

        Assert.Equal(
            ["127.0.0.1:5123/hosts.toml", "docker.io/hosts.toml", "registry.k8s.io/hosts.toml"],
            written.Select(path => Path.GetRelativePath(_certs.FullName, path)).Order(StringComparer.Ordinal));
        GoldenFile.Matches(File.ReadAllText(Path.Combine(_certs.FullName, "docker.io", "hosts.toml")), "hosts-docker.io.toml");
        GoldenFile.Matches(File.ReadAllText(Path.Combine(_certs.FullName, "registry.k8s.io", "hosts.toml")), "hosts-registry.k8s.io.toml");
        GoldenFile.Matches(File.ReadAllText(Path.Combine(_certs.FullName, "127.0.0.1:5123", "hosts.toml")), "hosts-mirror.toml");
    }

    [Fact]
    public void RewritingTheSameFilesChangesNothing()
    {
        RegistryHosts.Write(_certs.FullName, "http://127.0.0.1:5123");

        Assert.Empty(RegistryHosts.Write(_certs.FullName, "http://127.0.0.1:5123"));
        Assert.Single(RegistryHosts.Write(_certs.FullName, "http://127.0.0.1:5123", new Dictionary<string, string> { ["docker.io"] = "https://mirror.example" }));
        Assert.Contains("server = \"https://mirror.example\"", File.ReadAllText(Path.Combine(_certs.FullName, "docker.io", "hosts.toml")), StringComparison.Ordinal);
    }

    [Fact]
    public void CustomUpstreamsReplaceTheDefaults()
    {
        RegistryHosts.Write(_certs.FullName, "http://10.0.0.5:5000", new Dictionary<string, string> { ["quay.io"] = "https://quay.io" });

        Assert.Equal(
            ["10.0.0.5:5000", "quay.io"],
            _certs.EnumerateDirectories().Select(directory => directory.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            "server = \"https://quay.io\"\n\n[host.\"http://10.0.0.5:5000\"]\n  capabilities = [\"pull\", \"resolve\"]\n",
            File.ReadAllText(Path.Combine(_certs.FullName, "quay.io", "hosts.toml")));
    }

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("ftp://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/v2/")]
    [InlineData("http://127.0.0.1:5000/?x=1")]
    public void MirrorMustBeABaseUrl(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => RegistryHosts.Write(_certs.FullName, endpoint));

        Assert.Contains("base URL like http://127.0.0.1:5000", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _certs.Delete(recursive: true);
}
