using System.Text.Json.Nodes;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// `kubectl apply --server-side` (kubectl-compat §4.3): create, re-apply, field removal, conflicts with another manager
/// (`kubectl scale`) and `--force-conflicts`, and taking over an object that client-side apply created.
/// </summary>
public sealed class ServerSideApplyTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Server_side_apply_creates_the_object_and_a_second_apply_changes_nothing(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "ssa");
        var file = kubectl.WriteFile("web.yaml", WebDeployment);

        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));
        var created = await GetJsonAsync(kubectl, ns, "deployment/web", managedFields: true);
        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));
        var reapplied = await GetJsonAsync(kubectl, ns, "deployment/web", managedFields: true);

        Assert.Equal(2, created["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=web,tier=front", Labels(created));
        Assert.Null(created["metadata"]!["annotations"]?[LastApplied]);
        var entry = Assert.Single(created["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal("kubectl", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("apps/v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"main\"}"]!["f:image"]);

        // Nothing changed: the same object, not even a new resourceVersion or generation.
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), reapplied["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(1, reapplied["metadata"]!["generation"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Server_side_apply_of_a_file_without_a_field_removes_it(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "ssa-rm");
        var file = kubectl.WriteFile("web.yaml", WebDeployment);
        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));

        kubectl.WriteFile(file, Change(WebDeploymentTrimmed, "image: nginx:1.25", "image: nginx:1.26"));
        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));

        AssertTrimmed(await GetJsonAsync(kubectl, ns, "deployment/web"), "nginx:1.26");
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Server_side_apply_conflicts_with_kubectl_scale_on_replicas_until_forced(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "ssa-conflict");
        var file = kubectl.WriteFile("web.yaml", WebDeployment);
        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));
        Assert.Equal(["deployment.apps/web scaled"], await OkAsync(kubectl, "scale", "deployment/web", "-n", ns, "--replicas=5"));
        kubectl.WriteFile(file, Change(WebDeployment, "replicas: 2", "replicas: 3"));

        var conflict = await FailAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file);

        // kubectl scale sends no fieldManager: the server names the manager after the User-Agent's prefix ("kubectl.1.33/v1.33.1 …").
        Assert.Equal(
            $"error: Apply failed with 1 conflict: conflict with \"kubectl.{version}\" with subresource \"scale\" using apps/v1: .spec.replicas",
            conflict.ErrorLines[0]);
        Assert.Equal("Please review the fields above--they currently have other managers. Here", conflict.ErrorLines[1]);
        Assert.Contains("  command with the `--force-conflicts` flag.", conflict.ErrorLines);
        Assert.Equal("5", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        Assert.Equal(
            ["deployment.apps/web serverside-applied"],
            await OkAsync(kubectl, "apply", "--server-side", "--force-conflicts", "-n", ns, "-f", file));
        Assert.Equal("3", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));
        // The applier owns replicas again: the scale manager's entry lost it.
        var managed = (await GetJsonAsync(kubectl, ns, "deployment/web", managedFields: true))["metadata"]!["managedFields"]!.AsArray();
        Assert.DoesNotContain(managed, m => m!["fieldsV1"]?["f:spec"]?["f:replicas"] is not null && m["manager"]!.GetValue<string>() != "kubectl");
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Server_side_apply_takes_over_an_object_created_by_client_side_apply(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "ssa-mix");
        var file = kubectl.WriteFile("web.yaml", WebDeployment);
        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        // Same values: no conflict with kubectl-client-side-apply; kubectl then moves that manager's fields to its own.
        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));
        var taken = await GetJsonAsync(kubectl, ns, "deployment/web", managedFields: true);
        Assert.Equal(2, taken["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("main=nginx:1.25 side=busybox:1.28 ", await ContainersAsync(kubectl, ns));
        Assert.DoesNotContain(taken["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "kubectl-client-side-apply");

        // So a field dropped from the file is removed by the next server-side apply.
        kubectl.WriteFile(file, Change(WebDeploymentTrimmed, "image: nginx:1.25", "image: nginx:1.26"));
        Assert.Equal(["deployment.apps/web serverside-applied"], await OkAsync(kubectl, "apply", "--server-side", "-n", ns, "-f", file));
        AssertTrimmed(await GetJsonAsync(kubectl, ns, "deployment/web"), "nginx:1.26");
    }

    /// <summary>The live object after applying <see cref="ApplyTestBase.WebDeploymentTrimmed"/> with main's image changed.</summary>
    private static void AssertTrimmed(JsonObject live, string image)
    {
        Assert.Equal("app=web", Labels(live));
        var main = Assert.Single(live["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;
        Assert.Equal("main", main["name"]!.GetValue<string>());
        Assert.Equal(image, main["image"]!.GetValue<string>());
        Assert.Equal(["A"], main["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal([80], main["ports"]!.AsArray().Select(p => p!["containerPort"]!.GetValue<int>()));
    }
}
