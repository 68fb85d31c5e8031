using Korral.Ingress.Nginx;
using Korral.Ingress.Tests.Fixtures;

namespace Korral.Ingress.Tests.Config;

/// <summary>
/// nginx.conf per case against Config/Cases/&lt;case&gt;/nginx.conf, and the problems reported against problems.txt
/// (KORRAL_UPDATE_GOLDEN=1 rewrites both). <see cref="ConfigSyntaxTests"/> has the real nginx check every case.
/// </summary>
public sealed class ConfigGoldenTests
{
    private static readonly NginxLayout Layout = new("/var/lib/korral/server/ingress");

    [Theory]
    [MemberData(nameof(ConfigCases.Names), MemberType = typeof(ConfigCases))]
    public void Renders(string name)
    {
        var (configuration, text) = ConfigCases.Render(name, Layout);

        GoldenFile.Matches(text, Path.Combine(ConfigCases.Root, name, "nginx.conf"));
        GoldenFile.Matches(string.Concat(configuration.Problems.Select(p => p + "\n")), Path.Combine(ConfigCases.Root, name, "problems.txt"));
    }

    [Theory]
    [MemberData(nameof(ConfigCases.Names), MemberType = typeof(ConfigCases))]
    public void RendersTheSameBytesEveryTime(string name)
    {
        // The reload decision compares texts: the same cluster state must never look like a change.
        Assert.Equal(ConfigCases.Render(name, Layout).Text, ConfigCases.Render(name, Layout).Text);
    }
}
