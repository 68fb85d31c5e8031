using Korral.Kubelet.Containerd;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Containerd;

public class ContainerdConfigTests
{
    [Fact]
    public void NodeDefaultsRenderTheGoldenConfig()
    {
        GoldenFile.Matches(ContainerdConfig.Render(new ContainerdOptions()), "config-node.toml");
    }

    [Fact]
    public void AgentLayoutPutsEveryPathUnderItsRoots()
    {
        var options = ContainerdOptions.ForAgent("/tmp/kk/agent", "/tmp/kk/state") with
        {
            SandboxImage = "registry.k8s.io/pause:3.9",
            CniBinDir = "/opt/cni/bin",
        };

        GoldenFile.Matches(ContainerdConfig.Render(options), "config-agent.toml");
    }

    [Fact]
    public void QuotesAndBackslashesInPathsAreEscaped()
    {
        var toml = ContainerdConfig.Render(new ContainerdOptions { Root = "/var/lib/a \"b\"\\c" });

        Assert.Contains("root = \"/var/lib/a \\\"b\\\"\\\\c\"\n", toml, StringComparison.Ordinal);
    }
}
