using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;

namespace Korral.Kubelet.Tests.Translation;

public sealed class ServiceLinkVariablesTests
{
    [Fact]
    public void Each_service_gives_host_port_named_ports_and_docker_link_variables()
    {
        var services = new[]
        {
            Service("ns", "foo-bar", "1.2.3.4", ("http", 8080, "TCP"), ("dns", 53, "UDP")),
            Service("ns", "abc-123", "5.6.7.8", (null, 9090, null)),
            Service("ns", "headless", "None", (null, 80, "TCP")),
            Service("ns", "external", "", (null, 80, "TCP")),
        };

        var vars = ServiceLinkVariables.FromServices(services);

        Assert.Equal<ResolvedEnvVar>(
        [
            new("FOO_BAR_SERVICE_HOST", "1.2.3.4"),
            new("FOO_BAR_SERVICE_PORT", "8080"),
            new("FOO_BAR_SERVICE_PORT_HTTP", "8080"),
            new("FOO_BAR_SERVICE_PORT_DNS", "53"),
            new("FOO_BAR_PORT", "tcp://1.2.3.4:8080"),
            new("FOO_BAR_PORT_8080_TCP", "tcp://1.2.3.4:8080"),
            new("FOO_BAR_PORT_8080_TCP_PROTO", "tcp"),
            new("FOO_BAR_PORT_8080_TCP_PORT", "8080"),
            new("FOO_BAR_PORT_8080_TCP_ADDR", "1.2.3.4"),
            new("FOO_BAR_PORT_53_UDP", "udp://1.2.3.4:53"),
            new("FOO_BAR_PORT_53_UDP_PROTO", "udp"),
            new("FOO_BAR_PORT_53_UDP_PORT", "53"),
            new("FOO_BAR_PORT_53_UDP_ADDR", "1.2.3.4"),
            new("ABC_123_SERVICE_HOST", "5.6.7.8"),
            new("ABC_123_SERVICE_PORT", "9090"),
            new("ABC_123_PORT", "tcp://5.6.7.8:9090"),
            new("ABC_123_PORT_9090_TCP", "tcp://5.6.7.8:9090"),
            new("ABC_123_PORT_9090_TCP_PROTO", "tcp"),
            new("ABC_123_PORT_9090_TCP_PORT", "9090"),
            new("ABC_123_PORT_9090_TCP_ADDR", "5.6.7.8"),
        ], vars);
    }

    [Fact]
    public void An_ipv6_cluster_ip_is_bracketed_in_urls()
    {
        var vars = ServiceLinkVariables.FromServices([Service("ns", "v6", "fd00::10", (null, 443, "TCP"))]);

        Assert.Contains(new ResolvedEnvVar("V6_PORT", "tcp://[fd00::10]:443"), vars);
        Assert.Contains(new ResolvedEnvVar("V6_PORT_443_TCP_ADDR", "fd00::10"), vars);
    }

    [Fact]
    public void The_master_service_is_always_there_and_namespace_services_only_with_service_links()
    {
        var source = new FakePodConfigSource();
        source.Services.Add(Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP")));
        source.Services.Add(Service("default", "other", "10.96.0.2", (null, 80, "TCP")));
        source.Services.Add(Service("team", "web", "10.96.0.3", (null, 80, "TCP")));

        var withLinks = ServiceLinkVariables.ForPod(source, "team", enableServiceLinks: true).Select(v => v.Name).ToList();
        var withoutLinks = ServiceLinkVariables.ForPod(source, "team", enableServiceLinks: false).Select(v => v.Name).ToList();

        Assert.Contains("KUBERNETES_SERVICE_HOST", withLinks);
        Assert.Contains("KUBERNETES_SERVICE_PORT_HTTPS", withLinks);
        Assert.Contains("WEB_SERVICE_HOST", withLinks);
        Assert.DoesNotContain("OTHER_SERVICE_HOST", withLinks);
        Assert.Equal<string>(
        [
            "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PORT_HTTPS", "KUBERNETES_PORT",
            "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_PROTO", "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_ADDR",
        ], withoutLinks);
    }

    [Fact]
    public void A_kubernetes_service_in_the_pods_namespace_replaces_the_master_service()
    {
        var source = new FakePodConfigSource();
        source.Services.Add(Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP")));
        source.Services.Add(Service("team", "kubernetes", "10.96.0.99", (null, 8443, "TCP")));

        var vars = ServiceLinkVariables.ForPod(source, "team", enableServiceLinks: true);

        Assert.Contains(new ResolvedEnvVar("KUBERNETES_SERVICE_HOST", "10.96.0.99"), vars);
        Assert.DoesNotContain(vars, v => v.Name == "KUBERNETES_SERVICE_PORT_HTTPS");
    }
}
