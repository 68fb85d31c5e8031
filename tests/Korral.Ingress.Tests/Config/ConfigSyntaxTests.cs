using System.Net;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tests.Fixtures;

namespace Korral.Ingress.Tests.Config;

/// <summary>Every golden case, rendered into a real directory with real certificate files, passes <c>nginx -t</c>.</summary>
public sealed class ConfigSyntaxTests
{
    [Theory]
    [MemberData(nameof(ConfigCases.Names), MemberType = typeof(ConfigCases))]
    public async Task NginxAcceptsIt(string name)
    {
        var nginx = NginxInstalled.Require();
        using var temp = new TempDirectory("syntax");
        var layout = new NginxLayout(temp.Path);
        var (configuration, text) = ConfigCases.Render(name, layout, [IPAddress.Loopback]);
        Directory.CreateDirectory(layout.CertsDir);
        Directory.CreateDirectory(layout.TempDir);
        var (certificate, key) = TestCertificates.Create("test.example.com");
        foreach (var path in configuration.Servers.Select(s => s.Certificate.Path).Distinct())
        {
            await File.WriteAllTextAsync(path, certificate + "\n" + key + "\n");
        }

        await File.WriteAllTextAsync(layout.ConfigFile, text);
        var result = await NginxBinary.TestAsync(nginx, layout, layout.ConfigFile, CancellationToken.None);

        Assert.True(result.Ok, $"nginx -t refused case {name}:\n{result.Output}");
    }
}
