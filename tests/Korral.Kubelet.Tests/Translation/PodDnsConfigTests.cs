using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;

namespace Korral.Kubelet.Tests.Translation;

public sealed class PodDnsConfigTests
{
    private const string HostResolv = """
        # written by the node's DHCP client
        nameserver 192.0.2.53
        nameserver 192.0.2.54
        search old.example
        search corp.example lab.example.
        options timeout:2 attempts:3
        """;

    private static readonly DnsContext Node = new(["10.96.0.10"], "cluster.local", HostResolv, ["192.0.2.2"]);

    public static TheoryData<string, bool, string[], string[], string[]> Policies => new()
    {
        {
            "ClusterFirst", false, ["10.96.0.10"],
            ["team.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "lab.example"], ["ndots:5"]
        },
        { "Default", false, ["192.0.2.53", "192.0.2.54"], ["corp.example", "lab.example"], ["timeout:2", "attempts:3"] },
        // ClusterFirst on the host network falls back to the node's resolver; ClusterFirstWithHostNet does not.
        { "ClusterFirst", true, ["192.0.2.53", "192.0.2.54"], ["corp.example", "lab.example"], ["timeout:2", "attempts:3"] },
        {
            "ClusterFirstWithHostNet", true, ["10.96.0.10"],
            ["team.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "lab.example"], ["ndots:5"]
        },
        { "None", false, [], [], [] },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Each_policy_builds_its_resolver_config(string policy, bool hostNetwork, string[] servers, string[] searches, string[] options)
    {
        var pod = DnsPod(policy, hostNetwork, dnsConfig: "");

        var result = PodDnsConfig.Build(pod, Node);

        Assert.Equal(Config(servers, searches, options), result.Value);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void The_pods_dns_config_is_merged_on_top_without_duplicates()
    {
        var pod = DnsPod("ClusterFirst", false, """
            dnsConfig:
                nameservers: [10.96.0.10, 1.1.1.1]
                searches: [svc.cluster.local, extra.example]
                options:
                - {name: ndots, value: "2"}
                - {name: edns0}
                - {name: timeout, value: "3"}
            """);

        var result = PodDnsConfig.Build(pod, Node);

        Assert.Equal(
            Config(
                ["10.96.0.10", "1.1.1.1"],
                ["team.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "lab.example", "extra.example"],
                ["ndots:2", "edns0", "timeout:3"]),
            result.Value);
    }

    [Fact]
    public void None_takes_only_the_pods_dns_config()
    {
        var pod = DnsPod("None", false, """
            dnsConfig:
                nameservers: [203.0.113.1]
                searches: [my.example]
                options: [{name: ndots, value: "1"}]
            """);

        Assert.Equal(Config(["203.0.113.1"], ["my.example"], ["ndots:1"]), PodDnsConfig.Build(pod, Node).Value);
    }

    [Fact]
    public void Without_cluster_dns_cluster_first_falls_back_to_the_node_and_says_so()
    {
        var result = PodDnsConfig.Build(DnsPod("ClusterFirst", false, ""), Node with { ClusterDns = [] });

        Assert.Equal(Config(["192.0.2.53", "192.0.2.54"], ["corp.example", "lab.example"], ["timeout:2", "attempts:3"]), result.Value);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("MissingClusterDNS", warning.Reason);
        Assert.Equal(
            $"pod: \"p_team({Uid})\". kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.",
            warning.Message);
    }

    [Fact]
    public void Without_a_node_resolver_config_host_dns_uses_the_loopback()
    {
        var result = PodDnsConfig.Build(DnsPod("Default", false, ""), Node with { HostResolvConf = null, NodeIPs = ["192.0.2.2", "2001:db8::2"] });

        Assert.Equal(Config(["127.0.0.1", "::1"], ["."], []), result.Value);
    }

    [Fact]
    public void Nameservers_beyond_three_are_dropped_with_a_warning()
    {
        var pod = DnsPod("ClusterFirst", false, "dnsConfig: {nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9]}");

        var result = PodDnsConfig.Build(pod, Node);

        Assert.Equal(["10.96.0.10", "1.1.1.1", "8.8.8.8"], result.Value!.Servers);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("DNSConfigForming", warning.Reason);
        Assert.Equal("Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8", warning.Message);
    }

    [Fact]
    public void Search_paths_are_cut_to_32_and_overlong_ones_dropped()
    {
        var extra = Enumerable.Range(1, 40).Select(i => $"d{i}.example").Prepend(new string('x', 254)).ToList();
        var pod = DnsPod("None", false, $"dnsConfig: {{searches: [{string.Join(", ", extra)}]}}");

        var result = PodDnsConfig.Build(pod, Node);

        Assert.Equal(extra.Skip(1).Take(31), result.Value!.Searches);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(
            "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: " + string.Join(' ', extra.Skip(1).Take(31)),
            warning.Message);
    }

    [Fact]
    public void The_search_line_is_cut_from_the_end_to_2048_characters()
    {
        // 10 domains of 250 characters: 2,509 with the separating spaces; the last two must go.
        var extra = Enumerable.Range(0, 10).Select(i => (char)('a' + i) + new string('x', 241) + ".example").ToList();
        var pod = DnsPod("None", false, $"dnsConfig: {{searches: [{string.Join(", ", extra)}]}}");

        var result = PodDnsConfig.Build(pod, Node);

        Assert.Equal(extra.Take(8), result.Value!.Searches);
        Assert.True(string.Join(' ', result.Value.Searches).Length <= PodDnsConfig.MaxSearchListChars);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Resolv_conf_is_parsed_as_upstream_parses_it()
    {
        var conf = ResolvConf.Parse("""
            nameserver 10.0.0.1
              # comment
            nameserver
            domain ignored.example
            search a.example. . b.example
            options ndots:1
            options rotate
            nameserver 10.0.0.2 extra
            """);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], conf.Nameservers);
        Assert.Equal(["a.example", "b.example"], conf.Searches);
        Assert.Equal(["rotate"], conf.Options);
    }

    private static Korral.Api.Models.CoreV1.Pod DnsPod(string policy, bool hostNetwork, string dnsConfig) => Pod($$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
            dnsPolicy: {{policy}}
            hostNetwork: {{(hostNetwork ? "true" : "false")}}
            {{dnsConfig.Replace("\n", "\n    ", StringComparison.Ordinal)}}
            containers: [{name: c, image: busybox}]
        """, ns: "team");

    private static DNSConfig Config(IEnumerable<string> servers, IEnumerable<string> searches, IEnumerable<string> options)
    {
        var config = new DNSConfig();
        config.Servers.Add(servers);
        config.Searches.Add(searches);
        config.Options.Add(options);
        return config;
    }
}
