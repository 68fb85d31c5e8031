using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>`kubectl patch` with each patch type, and of the status subresource.</summary>
public sealed class PatchTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Strategic_merge_patch_merges_containers_and_env_by_name(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "smp");

        // Env C is new: strategic merge puts patch-only items before the live ones (upstream's normalizeElementOrder).
        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "strategic",
                "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"C","value":"3"},{"name":"A","value":"one"}]}]}}}}"""));
        Assert.Equal("C=3 A=one B=2 ", await EnvAsync(kubectl, ns, "main"));
        Assert.Equal("main=nginx:1.25 side=busybox:1.28 ", await ContainersAsync(kubectl, ns));

        // $patch: delete removes one element by its merge key; the default type of kubectl patch is strategic.
        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns,
                "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}"""));
        Assert.Equal("main=nginx:1.25 ", await ContainersAsync(kubectl, ns));

        Assert.Equal(
            ["deployment.apps/web patched (no change)"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "-p", """{"spec":{"replicas":2}}"""));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Merge_patch_adds_and_removes_labels(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "merge");

        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "merge", "-p", """{"metadata":{"labels":{"color":"red","tier":null}}}"""));
        Assert.Equal("app=web,color=red", Labels(await GetJsonAsync(kubectl, ns, "deployment/web")));

        Assert.Equal(
            ["deployment.apps/web patched (no change)"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "merge", "-p", """{"metadata":{"labels":{"color":"red"}}}"""));

        // A merge patch replaces lists whole: the containers list becomes exactly the one given.
        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "merge",
                "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"redis:latest"}]}}}}"""));
        Assert.Equal("only=redis:latest ", await ContainersAsync(kubectl, ns));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Json_patch_replaces_replicas_and_a_failing_test_operation_changes_nothing(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "json");

        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/replicas","value":3}]"""));
        Assert.Equal("3", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));
        // A test that holds lets the rest through.
        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "json",
                "-p", """[{"op":"test","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels/added","value":"yes"}]"""));
        var before = await GetJsonAsync(kubectl, ns, "deployment/web");
        Assert.Equal("added=yes,app=web,tier=front", Labels(before));

        // One that fails stops the whole patch, including the operations before it.
        var failed = await FailAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "json",
            "-p", """[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":7}]""");

        Assert.Equal(before.ToJsonString(), (await GetJsonAsync(kubectl, ns, "deployment/web")).ToJsonString());
        // 422 Invalid without causes (upstream keeps the JSON patch library's message in its logs).
        Assert.Equal("The request is invalid: the server rejected our request due to an error in our request", failed.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Patch_of_the_status_subresource_changes_only_the_status(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "status");

        // Through /status the spec part of the patch is ignored; through the main resource the status part is.
        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--subresource=status", "--type", "merge",
                "-p", """{"spec":{"replicas":7},"status":{"replicas":7,"readyReplicas":1}}"""));
        Assert.Equal("2 7 1", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas} {.status.replicas} {.status.readyReplicas}"));

        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":4},"status":{"replicas":0}}"""));
        Assert.Equal("4 7", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas} {.status.replicas}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Patch_with_server_dry_run_stores_nothing(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "patch-dry");

        // kubectl patch prints no "(server dry run)" suffix (its printer only knows the operation).
        Assert.Equal(
            ["deployment.apps/web patched"],
            await OkAsync(kubectl, "patch", "deployment/web", "-n", ns, "--dry-run=server", "-p", """{"spec":{"replicas":6}}"""));
        Assert.Equal("2 1", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas} {.metadata.generation}"));
    }
}
