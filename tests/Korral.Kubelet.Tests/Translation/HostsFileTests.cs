using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Translation;

namespace Korral.Kubelet.Tests.Translation;

public sealed class HostsFileTests
{
    private static readonly List<HostAlias> Aliases =
    [
        new() { Ip = "127.0.0.1", Hostnames = ["foo.local", "bar.local"] },
        new() { Ip = "10.1.2.3", Hostnames = ["foo.remote"] },
    ];

    [Fact]
    public void A_pod_network_pod_gets_localhost_and_its_own_name()
    {
        var content = HostsFile.ForPodNetwork(["10.42.0.7"], new PodHostname("web-0", ""), null);

        Assert.Equal(
            "# Kubernetes-managed hosts file.\n" +
            "127.0.0.1\tlocalhost\n" +
            "::1\tlocalhost ip6-localhost ip6-loopback\n" +
            "fe00::0\tip6-localnet\n" +
            "fe00::0\tip6-mcastprefix\n" +
            "fe00::1\tip6-allnodes\n" +
            "fe00::2\tip6-allrouters\n" +
            "10.42.0.7\tweb-0\n",
            content);
    }

    [Fact]
    public void A_pod_with_a_subdomain_gets_its_fqdn_and_the_aliases_follow()
    {
        var content = HostsFile.ForPodNetwork(["10.42.0.7", "fd00::7"], new PodHostname("web-0", "web.default.svc.cluster.local"), Aliases);

        Assert.EndsWith(
            "fe00::2\tip6-allrouters\n" +
            "10.42.0.7\tweb-0.web.default.svc.cluster.local\tweb-0\n" +
            "fd00::7\tweb-0.web.default.svc.cluster.local\tweb-0\n" +
            "\n# Entries added by HostAliases.\n" +
            "127.0.0.1\tfoo.local\tbar.local\n" +
            "10.1.2.3\tfoo.remote\n",
            content,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_network_pod_gets_the_nodes_hosts_file_under_a_header()
    {
        var content = HostsFile.ForHostNetwork("127.0.0.1\tlocalhost\n192.0.2.2\tnode-1\n", Aliases[1..]);

        Assert.Equal(
            "# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n192.0.2.2\tnode-1\n" +
            "\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\n",
            content);
        Assert.Equal(new Korral.Kubelet.Cri.V1.Mount { ContainerPath = "/etc/hosts", HostPath = "/x/etc-hosts" }, HostsFile.Mount("/x/etc-hosts"));
    }
}
