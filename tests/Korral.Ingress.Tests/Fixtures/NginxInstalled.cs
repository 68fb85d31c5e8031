using Korral.Ingress.Nginx;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>The machine's nginx (scripts/install-packages installs it); tests that run it fail with this hint without it.</summary>
public static class NginxInstalled
{
    public static string Path { get; } = NginxBinary.Find("nginx") ?? "";

    public static string Require()
    {
        Assert.True(Path.Length > 0, "nginx is not installed: run scripts/install-packages (Debian's nginx package)");
        return Path;
    }
}
