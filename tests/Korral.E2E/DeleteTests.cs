using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>`kubectl delete` by name, with --all and with a label selector; kubectl waits until each object is gone.</summary>
public sealed class DeleteTests(KorralServer server) : E2ETest(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Delete_by_name_removes_the_pod(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "delete");
        await CreatePodsAsync(kubectl, ns, ("gone", "x"), ("kept", "x"));

        var result = (await kubectl.RunAsync("delete", "pod", "gone", "-n", ns)).EnsureSuccess();

        Assert.Equal(["pod \"gone\" deleted"], result.Lines);
        var get = (await kubectl.RunAsync("get", "pod", "gone", "-n", ns)).EnsureFailure();
        Assert.Equal("Error from server (NotFound): pods \"gone\" not found", get.Stderr.Trim());
        Assert.Equal(["pod/kept"], (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "name")).EnsureSuccess().Lines);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Delete_all_removes_every_pod_of_the_namespace(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "delete-all");
        await CreatePodsAsync(kubectl, ns, ("a", "x"), ("b", "y"), ("c", "z"));

        var result = (await kubectl.RunAsync("delete", "pods", "--all", "-n", ns)).EnsureSuccess();

        Assert.Equal(["pod \"a\" deleted", "pod \"b\" deleted", "pod \"c\" deleted"], result.Lines);
        var get = (await kubectl.RunAsync("get", "pods", "-n", ns)).EnsureSuccess();
        Assert.Equal($"No resources found in {ns} namespace.", get.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Delete_with_a_label_selector_removes_only_matching_pods(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "delete-l");
        await CreatePodsAsync(kubectl, ns, ("a", "x"), ("b", "x"), ("c", "y"));

        var result = (await kubectl.RunAsync("delete", "pods", "-l", "app=x", "-n", ns)).EnsureSuccess();

        Assert.Equal(["pod \"a\" deleted", "pod \"b\" deleted"], result.Lines);
        Assert.Equal(["pod/c"], (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "name")).EnsureSuccess().Lines);
    }
}
