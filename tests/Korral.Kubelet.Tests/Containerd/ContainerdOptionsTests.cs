using Korral.Kubelet.Containerd;

namespace Korral.Kubelet.Tests.Containerd;

public class ContainerdOptionsTests
{
    [Fact]
    public void DefaultsAreANodesLayout()
    {
        var options = new ContainerdOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(ContainerdOptions.ForAgent(ContainerdOptions.DefaultAgentRoot, ContainerdOptions.DefaultState), options);
        Assert.Equal("/var/lib/korral/agent/containerd", options.Root);
        Assert.Equal("/run/korral/containerd/containerd.sock", options.Socket);
        Assert.Equal("/run/korral/containerd/runc", options.RuncRoot);
        Assert.Equal("/var/lib/korral/agent/etc/cni/net.d", options.CniConfDir);
        Assert.Equal("/var/lib/korral/agent/etc/containerd/certs.d", options.RegistryConfigPath);
        Assert.Equal("registry.k8s.io/pause:3.10", options.SandboxImage);
        Assert.Equal("/usr/lib/cni", options.CniBinDir);
        Assert.Equal("containerd", options.BinaryPath);
    }

    public static TheoryData<ContainerdOptions, string> Invalid => new()
    {
        { new ContainerdOptions { Root = "relative/dir" }, "containerd Root must be an absolute path, not \"relative/dir\"" },
        { new ContainerdOptions { CniConfDir = "" }, "containerd CniConfDir must be an absolute path, not \"\"" },
        { new ContainerdOptions { Socket = "/" + new string('s', 101) }, "is too long for a unix socket" },
        { new ContainerdOptions { SandboxImage = " " }, "containerd SandboxImage must name an image" },
        { new ContainerdOptions { BinaryPath = "" }, "containerd BinaryPath must name the containerd binary" },
        { new ContainerdOptions { StartTimeout = TimeSpan.Zero }, "must be positive" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidOptionsSayWhatToChange(ContainerdOptions options, string expected)
    {
        var error = Assert.Single(options.Validate());

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
