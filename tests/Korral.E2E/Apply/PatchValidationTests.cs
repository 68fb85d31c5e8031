using System.Net;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// A patched object goes through the same validation as an update: an invalid result is refused with 422 and upstream's
/// message, immutable fields stay as they were, and the stored object does not change.
/// </summary>
public sealed class PatchValidationTests(KorralServer server) : ApplyTestBase(server)
{
    private const string PodServiceJob = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
          - name: c
            image: nginx:latest
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: s
        spec:
          selector:
            app: x
          ports:
          - port: 80
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: j
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: c
                image: busybox:1.28
                command: ["true"]

        """;

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Patches_that_make_a_deployment_invalid_are_refused_and_change_nothing(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "invalid");
        var before = (await GetJsonAsync(kubectl, ns, "deployment/web")).ToJsonString();

        var negative = await FailAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":-3}}""");
        Assert.Equal("The Deployment \"web\" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0", negative.Stderr.Trim());

        var mismatch = await FailAsync(kubectl, "patch", "deployment/web", "-n", ns,
            "-p", """{"spec":{"template":{"metadata":{"labels":{"app":"other"}}}}}""");
        Assert.Equal(
            "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`",
            mismatch.Stderr.Trim());

        // (kubectl label would check the value itself; a patch leaves it to the server.)
        var badLabel = await FailAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "merge", "-p", """{"metadata":{"labels":{"bad":"-x-"}}}""");
        Assert.StartsWith(
            "The Deployment \"web\" is invalid: metadata.labels: Invalid value: \"-x-\": a valid label must be an empty string or consist of alphanumeric characters",
            badLabel.Stderr.Trim(), StringComparison.Ordinal);

        Assert.Equal(before, (await GetJsonAsync(kubectl, ns, "deployment/web")).ToJsonString());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_deployments_selector_is_immutable(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "selector");

        // Template labels changed with it, so the selector still matches them: only the immutability error remains.
        var result = await FailAsync(kubectl, "patch", "deployment/web", "-n", ns,
            "-p", """{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}""");

        Assert.StartsWith("The Deployment \"web\" is invalid: spec.selector: Invalid value: ", result.Stderr.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(": field is immutable", result.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(result.ErrorLines);
        Assert.Equal("{\"app\":\"web\"}", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.selector.matchLabels}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_pods_containers_may_change_only_their_image(string version)
    {
        var (kubectl, ns) = await CreatePodServiceJobAsync(version, "immutable-pod");

        // Pod: a container's name is not among the updatable fields; adding a container is refused on its own terms.
        var rename = await FailAsync(kubectl, "patch", "pod/p", "-n", ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/containers/0/name","value":"d"}]""");
        Assert.StartsWith(
            "The Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,",
            rename.Stderr.Trim(), StringComparison.Ordinal);
        var add = await FailAsync(kubectl, "patch", "pod/p", "-n", ns, "-p", """{"spec":{"containers":[{"name":"e","image":"busybox:1.28"}]}}""");
        Assert.Equal("The Pod \"p\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers", add.Stderr.Trim());
        // The image is updatable.
        Assert.Equal(["pod/p patched"], await OkAsync(kubectl, "patch", "pod/p", "-n", ns, "-p", """{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}"""));
        Assert.Equal("c=nginx:1.27", await JsonPathAsync(kubectl, ns, "pod/p", "{range .spec.containers[*]}{.name}={.image}{end}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_services_cluster_ip_may_not_change_once_set(string version)
    {
        var (kubectl, ns) = await CreatePodServiceJobAsync(version, "immutable-svc");

        // The allocated cluster IP may not change (clusterIP is copied into clusterIPs[0] before validation).
        var clusterIp = await JsonPathAsync(kubectl, ns, "service/s", "{.spec.clusterIP}");
        var other = OtherAddress(clusterIp);
        var ip = await FailAsync(kubectl, "patch", "service/s", "-n", ns, "-p", $$$"""{"spec":{"clusterIP":"{{{other}}}"}}""");
        Assert.Equal(
            $"The Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: []string{{\"{other}\"}}: may not change once set",
            ip.Stderr.Trim());
        Assert.Equal($"{clusterIp} [\"{clusterIp}\"]", await JsonPathAsync(kubectl, ns, "service/s", "{.spec.clusterIP} {.spec.clusterIPs}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_jobs_pod_template_is_immutable(string version)
    {
        var (kubectl, ns) = await CreatePodServiceJobAsync(version, "immutable-job");

        var template = await FailAsync(kubectl, "patch", "job/j", "-n", ns,
            "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:latest"}]}}}}""");
        Assert.StartsWith("The Job \"j\" is invalid: spec.template: Invalid value: ", template.Stderr.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(": field is immutable", template.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Equal("busybox:1.28", await JsonPathAsync(kubectl, ns, "job/j", "{.spec.template.spec.containers[0].image}"));
    }

    private async Task<(Kubectl Kubectl, string Namespace)> CreatePodServiceJobAsync(string version, string prefix)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, prefix);
        Assert.Equal(
            ["pod/p created", "service/s created", "job.batch/j created"],
            await OkAsync(kubectl, "apply", "-n", ns, "-f", kubectl.WriteFile("psj.yaml", PodServiceJob)));
        return (kubectl, ns);
    }

    /// <summary>An IPv4 address next to <paramref name="address"/> (same network, last octet changed).</summary>
    private static string OtherAddress(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        bytes[3] = (byte)(bytes[3] == 200 ? 201 : 200);
        return new IPAddress(bytes).ToString();
    }
}
