using System.Net;
using System.Text;
using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>
/// Generator commands: `create namespace|configmap|secret generic|deployment` (kubectl 1.32+ sends these as protobuf),
/// `run` and `expose` (JSON).
/// </summary>
public sealed class ImperativeCreateTests(KorralServer server) : E2ETest(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Create_namespace_makes_an_active_namespace(string version)
    {
        var kubectl = Kubectl(version);
        var name = UniqueName("ns", version);

        var result = (await kubectl.RunAsync("create", "namespace", name)).EnsureSuccess();

        Assert.Equal($"namespace/{name} created", result.Stdout.Trim());
        Assert.Equal("Active", await JsonPathAsync(kubectl, ["namespace", name], "{.status.phase}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Create_configmap_from_literals(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "cm");

        var result = (await kubectl.RunAsync("create", "configmap", "settings", "--from-literal=mode=fast", "--from-literal=level=3", "-n", ns)).EnsureSuccess();

        Assert.Equal("configmap/settings created", result.Stdout.Trim());
        Assert.Equal("fast 3", await JsonPathAsync(kubectl, ["configmap", "settings", "-n", ns], "{.data.mode} {.data.level}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Create_secret_generic_stores_base64_data(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "secret");

        var result = (await kubectl.RunAsync("create", "secret", "generic", "db-pass", "--from-literal=password=s3cret-pass", "-n", ns)).EnsureSuccess();

        Assert.Equal("secret/db-pass created", result.Stdout.Trim());
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret-pass"));
        Assert.Equal(expected, await JsonPathAsync(kubectl, ["secret", "db-pass", "-n", ns], "{.data.password}"));
        Assert.Equal("Opaque", await JsonPathAsync(kubectl, ["secret", "db-pass", "-n", ns], "{.type}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Create_deployment_with_an_image(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "deploy");

        var result = (await kubectl.RunAsync("create", "deployment", "web", "--image=nginx", "-n", ns)).EnsureSuccess();

        Assert.Equal("deployment.apps/web created", result.Stdout.Trim());
        Assert.Equal(
            "1 nginx app=web",
            await JsonPathAsync(kubectl, ["deployment", "web", "-n", ns], "{.spec.replicas} {.spec.template.spec.containers[0].image} app={.spec.selector.matchLabels.app}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Run_creates_a_pod_labelled_run(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "run");

        var result = (await kubectl.RunAsync("run", "nginx", "--image=nginx", "-n", ns)).EnsureSuccess();

        Assert.Equal("pod/nginx created", result.Stdout.Trim());
        Assert.Equal("nginx nginx", await JsonPathAsync(kubectl, ["pod", "nginx", "-n", ns], "{.metadata.labels.run} {.spec.containers[0].image}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Expose_deployment_creates_a_service_with_a_cluster_ip(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "expose");
        (await kubectl.RunAsync("create", "deployment", "web", "--image=nginx", "-n", ns)).EnsureSuccess();

        var result = (await kubectl.RunAsync("expose", "deployment", "web", "--port=80", "-n", ns)).EnsureSuccess();

        Assert.Equal("service/web exposed", result.Stdout.Trim());
        var clusterIp = await JsonPathAsync(kubectl, ["service", "web", "-n", ns], "{.spec.clusterIP}");
        Assert.True(IsInServiceRange(clusterIp), $"cluster IP \"{clusterIp}\" is not in 10.96.0.0/12");
        Assert.Equal("80 web", await JsonPathAsync(kubectl, ["service", "web", "-n", ns], "{.spec.ports[0].port} {.spec.selector.app}"));
        Assert.Equal("ClusterIP", await JsonPathAsync(kubectl, ["service", "web", "-n", ns], "{.spec.type}"));
    }

    private static bool IsInServiceRange(string ip) =>
        IPAddress.TryParse(ip, out var address) && IPNetwork.Parse("10.96.0.0/12").Contains(address);

    private static async Task<string> JsonPathAsync(Kubectl kubectl, string[] target, string template)
    {
        var result = (await kubectl.RunAsync(["get", .. target, "-o", $"jsonpath={template}"], stdin: null)).EnsureSuccess();
        return result.Stdout;
    }
}
