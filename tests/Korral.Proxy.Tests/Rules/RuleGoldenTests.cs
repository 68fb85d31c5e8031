using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Proxy.Rules;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Rules;

/// <summary>
/// The iptables-restore input of a first full sync, per case, against Golden/&lt;case&gt;.rules (KORRAL_UPDATE_GOLDEN=1
/// rewrites them). Every golden file is also applied to a real iptables in a private namespace by
/// Netns/GoldenApplyTests, so their syntax is checked by iptables itself.
/// </summary>
public sealed class RuleGoldenTests
{
    public static readonly ProxyRuleOptions Options = new()
    {
        NodeName = ThisNode,
        ClusterCidr = "10.42.0.0/16",
        ServiceCidr = "10.96.0.0/12",
    };

    /// <summary>Case name → (options, services, slices).</summary>
    public static readonly IReadOnlyDictionary<string, Func<(ProxyRuleOptions Options, Service[] Services, EndpointSlice[] Slices)>> Cases =
        new Dictionary<string, Func<(ProxyRuleOptions, Service[], EndpointSlice[])>>
        {
            ["clusterip-1-endpoint"] = () => (Options, [Service("web", "10.96.0.10")], [Slice("web", Ready("10.42.1.5"))]),
            ["clusterip-2-endpoints"] = () => (Options, [Service("web", "10.96.0.10")], [Slice("web", Ready("10.42.1.5"), Ready("10.42.2.7"))]),
            ["clusterip-3-endpoints"] = () => (Options, [Service("web", "10.96.0.10")],
                [Slice("web", Ready("10.42.2.7"), Ready("10.42.1.5"), Ready("10.42.1.6", ThisNode))]),
            ["no-endpoints"] = () => (Options,
                [Service("empty", "10.96.0.11", Port("http", 80, 8080, nodePort: 30080)).With(s => { s.Type = "NodePort"; s.ExternalIPs = ["192.0.2.50"]; })],
                [Slice("empty", "empty-x1", [], [])]),
            ["not-ready-endpoints"] = () => (Options, [Service("web", "10.96.0.10")],
                [Slice("web", Endpoint("10.42.1.5", OtherNode, ready: false, serving: false, terminating: false), Ready("10.42.1.6"))]),
            ["client-ip-affinity"] = () => (Options,
                [Service("sticky", "10.96.0.12").With(s => { s.SessionAffinity = "ClientIP"; s.SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 600 } }; })],
                [Slice("sticky", Ready("10.42.1.5"), Ready("10.42.2.7"))]),
            ["nodeport"] = () => (Options,
                [Service("np", "10.96.0.13", Port("http", 80, 8080, nodePort: 30080)).With(s => s.Type = "NodePort")],
                [Slice("np", "np-x1", [SlicePort("http", 8080)], Ready("10.42.1.5"), Ready("10.42.2.7", ThisNode))]),
            ["nodeport-no-localhost"] = () => (Options with { LocalhostNodePorts = false },
                [Service("np", "10.96.0.13", Port("http", 80, 8080, nodePort: 30080)).With(s => s.Type = "NodePort")],
                [Slice("np", "np-x1", [SlicePort("http", 8080)], Ready("10.42.1.5"))]),
            ["loadbalancer"] = () => (Options,
                [Service("lb", "10.96.0.14", Port("http", 80, 8080, nodePort: 30081)).With(s => s.Type = "LoadBalancer").WithIngress("192.0.2.10", "192.0.2.11")],
                [Slice("lb", "lb-x1", [SlicePort("http", 8080)], Ready("10.42.1.5"))]),
            ["loadbalancer-source-ranges"] = () => (Options with { NodeIPs = ["192.0.2.10"] },
                [Service("lb", "10.96.0.14", Port("http", 80, 8080, nodePort: 30081))
                    .With(s => { s.Type = "LoadBalancer"; s.LoadBalancerSourceRanges = ["203.0.113.0/24", "192.0.2.0/24", " 10.1.2.3/8"]; })
                    .WithIngress("192.0.2.10")],
                [Slice("lb", "lb-x1", [SlicePort("http", 8080)], Ready("10.42.1.5"))]),
            ["external-ips"] = () => (Options,
                [Service("ext", "10.96.0.15").With(s => s.ExternalIPs = ["192.0.2.20", "fd00::1"])],
                [Slice("ext", Ready("10.42.1.5"))]),
            ["internal-traffic-local"] = () => (Options,
                [Service("itp", "10.96.0.16").With(s => s.InternalTrafficPolicy = "Local")],
                [Slice("itp", Ready("10.42.1.5", ThisNode), Ready("10.42.2.7"))]),
            ["internal-traffic-local-none-here"] = () => (Options,
                [Service("itp", "10.96.0.16").With(s => s.InternalTrafficPolicy = "Local")],
                [Slice("itp", Ready("10.42.2.7"))]),
            ["external-traffic-local"] = () => (Options,
                [Service("etp", "10.96.0.17", Port("http", 80, 8080, nodePort: 30082)).With(s => { s.Type = "NodePort"; s.ExternalTrafficPolicy = "Local"; })],
                [Slice("etp", "etp-x1", [SlicePort("http", 8080)], Ready("10.42.1.5", ThisNode), Ready("10.42.2.7"))]),
            ["external-traffic-local-none-here"] = () => (Options,
                [Service("etp", "10.96.0.17", Port("http", 80, 8080, nodePort: 30082)).With(s => { s.Type = "NodePort"; s.ExternalTrafficPolicy = "Local"; })],
                [Slice("etp", "etp-x1", [SlicePort("http", 8080)], Ready("10.42.2.7"))]),
            ["terminating-fallback"] = () => (Options, [Service("web", "10.96.0.10")],
                [Slice("web",
                    Endpoint("10.42.1.5", OtherNode, ready: false, serving: true, terminating: true),
                    Endpoint("10.42.1.6", OtherNode, ready: false, serving: false, terminating: true))]),
            ["terminating-with-ready"] = () => (Options, [Service("web", "10.96.0.10")],
                [Slice("web", Endpoint("10.42.1.5", OtherNode, ready: false, serving: true, terminating: true), Ready("10.42.2.7"))]),
            ["terminating-local"] = () => (Options,
                [Service("etp", "10.96.0.17", Port("http", 80, 8080, nodePort: 30082)).With(s => { s.Type = "NodePort"; s.ExternalTrafficPolicy = "Local"; })],
                [Slice("etp", "etp-x1", [SlicePort("http", 8080)],
                    Endpoint("10.42.1.5", ThisNode, ready: false, serving: true, terminating: true), Ready("10.42.2.7"))]),
            ["named-target-port"] = () => (Options,
                [Service("named", "10.96.0.18", NamedTarget("web", 80, "http"))],
                [Slice("named", "named-x1", [SlicePort("web", 8080)], Ready("10.42.1.5")),
                 Slice("named", "named-x2", [SlicePort("web", 9090)], Ready("10.42.2.7"))]),
            ["udp-sctp"] = () => (Options,
                [Service("dns", "10.96.0.19", Port("dns", 53, 5353, "UDP"), Port("dns-tcp", 53, 5353), Port("sig", 3868, 3868, "SCTP"))],
                [Slice("dns", "dns-x1", [SlicePort("dns", 5353, "UDP"), SlicePort("dns-tcp", 5353), SlicePort("sig", 3868, "SCTP")], Ready("10.42.1.5"))]),
            ["dual-ports"] = () => (Options,
                [Service("two", "10.96.0.20", Port("http", 80, 8080), Port("https", 443, 8443))],
                [Slice("two", "two-x1", [SlicePort("http", 8080), SlicePort("https", 8443)], Ready("10.42.1.5"), Ready("10.42.2.7"))]),
            ["headless-and-externalname-ignored"] = () => (Options,
                [Service("headless", "None"), Service("alias", "").With(s => { s.Type = "ExternalName"; s.ExternalName = "example.com"; s.ClusterIP = null; s.ClusterIPs = null; })],
                [Slice("headless", Ready("10.42.1.5"))]),
            ["several-services"] = () => (Options,
                [Service("b", "10.96.0.22"), Service("a", "10.96.0.21")],
                [Slice("a", Ready("10.42.1.5")), Slice("b", Ready("10.42.1.6"))]),
            ["no-cidrs"] = () => (new ProxyRuleOptions { NodeName = ThisNode },
                [Service("web", "10.96.0.10", Port("http", 80, 8080, nodePort: 30080)).With(s => { s.Type = "NodePort"; s.ExternalTrafficPolicy = "Local"; })],
                [Slice("web", "web-x1", [SlicePort("http", 8080)], Ready("10.42.1.5", ThisNode))]),
        };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FullRestoreMatchesGolden(string name)
    {
        var (options, services, slices) = Cases[name]();
        var text = new RuleGenerator(options).FullRestore(services, slices);
        GoldenFile.Matches(text, $"{name}.rules");
    }
}
