using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>`kubectl replace -f` (a full PUT, optimistic concurrency on resourceVersion, --force) and `--dry-run=server` writes.</summary>
public sealed class ReplaceAndDryRunTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Replace_puts_the_whole_object_and_a_stale_resource_version_is_a_conflict(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "replace");
        Assert.Equal(["deployment.apps/web labeled"], await OkAsync(kubectl, "label", "deployment/web", "-n", ns, "extra=yes"));

        // The manifest has no resourceVersion: an unconditional update, and what the file lacks is gone (the label).
        var file = kubectl.WriteFile("web-3.yaml", Change(WebDeployment, "replicas: 2", "replicas: 3"));
        Assert.Equal(["deployment.apps/web replaced"], await OkAsync(kubectl, "replace", "-n", ns, "-f", file));
        var live = await GetJsonAsync(kubectl, ns, "deployment/web");
        Assert.Equal(3, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=web,tier=front", Labels(live));

        // Two copies of the same resourceVersion: the first replace wins, the second is stale.
        var current = (await kubectl.RunAsync("get", "deployment/web", "-n", ns, "-o", "yaml")).EnsureSuccess().Stdout;
        var first = kubectl.WriteFile("first.yaml", Change(current, "  replicas: 3\n", "  replicas: 4\n"));
        var stale = kubectl.WriteFile("stale.yaml", Change(current, "  replicas: 3\n", "  replicas: 5\n"));
        Assert.Equal(["deployment.apps/web replaced"], await OkAsync(kubectl, "replace", "-f", first));

        var conflict = await FailAsync(kubectl, "replace", "-f", stale);

        Assert.Equal(
            "Error from server (Conflict): error when replacing \"stale.yaml\": Operation cannot be fulfilled on deployments.apps \"web\": " +
            "the object has been modified; please apply your changes to the latest version and try again",
            conflict.Stderr.Trim());
        Assert.Equal("4", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Replace_force_deletes_and_recreates(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "replace-force");
        var uid = await JsonPathAsync(kubectl, ns, "deployment/web", "{.metadata.uid}");
        var file = kubectl.WriteFile("web-img.yaml", Change(WebDeployment, "image: nginx:1.25", "image: nginx:1.26"));

        Assert.Equal(
            ["deployment.apps \"web\" deleted", "deployment.apps/web replaced"],
            await OkAsync(kubectl, "replace", "--force", "-n", ns, "-f", file));

        Assert.NotEqual(uid, await JsonPathAsync(kubectl, ns, "deployment/web", "{.metadata.uid}"));
        Assert.Equal("main=nginx:1.26 side=busybox:1.28 ", await ContainersAsync(kubectl, ns));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Server_dry_run_of_create_apply_and_delete_stores_nothing(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "dry-run");
        const string configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: v\n";
        var both = kubectl.WriteFile("both.yaml", configMap + "---\n" + WebDeployment);

        Assert.Equal(
            ["configmap/cfg created (server dry run)", "deployment.apps/web created (server dry run)"],
            await OkAsync(kubectl, "create", "--dry-run=server", "-n", ns, "-f", both));
        await AssertAbsentAsync(kubectl, ns, "configmaps", "cfg");
        await AssertAbsentAsync(kubectl, ns, "deployments.apps", "web");

        Assert.Equal(
            ["configmap/cfg created (server dry run)", "deployment.apps/web created (server dry run)"],
            await OkAsync(kubectl, "apply", "--dry-run=server", "-n", ns, "-f", both));
        Assert.Equal(
            ["configmap/cfg serverside-applied (server dry run)", "deployment.apps/web serverside-applied (server dry run)"],
            await OkAsync(kubectl, "apply", "--server-side", "--dry-run=server", "-n", ns, "-f", both));
        await AssertAbsentAsync(kubectl, ns, "configmaps", "cfg");
        await AssertAbsentAsync(kubectl, ns, "deployments.apps", "web");

        // Present objects: a changed file is "configured" but nothing changes; delete leaves them there.
        Assert.Equal(["configmap/cfg created", "deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", both));
        var before = await GetJsonAsync(kubectl, ns, "deployment/web");
        var changed = kubectl.WriteFile("changed.yaml", Change(configMap, "k: v", "k: w") + "---\n" + Change(WebDeployment, "replicas: 2", "replicas: 9"));
        Assert.Equal(
            ["configmap/cfg configured (server dry run)", "deployment.apps/web configured (server dry run)"],
            await OkAsync(kubectl, "apply", "--dry-run=server", "-n", ns, "-f", changed));
        Assert.Equal(
            ["configmap/cfg serverside-applied (server dry run)", "deployment.apps/web serverside-applied (server dry run)"],
            await OkAsync(kubectl, "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-n", ns, "-f", changed));
        Assert.Equal(
            ["configmap \"cfg\" deleted (server dry run)", "deployment.apps \"web\" deleted (server dry run)"],
            await OkAsync(kubectl, "delete", "--dry-run=server", "-n", ns, "-f", both));

        Assert.Equal("v", await JsonPathAsync(kubectl, ns, "configmap/cfg", "{.data.k}"));
        Assert.Equal(before.ToJsonString(), (await GetJsonAsync(kubectl, ns, "deployment/web")).ToJsonString());
    }
}
