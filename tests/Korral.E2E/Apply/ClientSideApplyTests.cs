using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// `kubectl apply -f` (client-side apply, kubectl-compat §4.1/4.2): created, unchanged, configured; fields removed from
/// the file disappear from the live object; multi-document files, directories, --prune; scenario B step 7.
/// </summary>
public sealed class ClientSideApplyTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Apply_creates_then_reports_unchanged_then_configured_for_each_edited_field(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "csa");
        var manifest = WebDeployment;
        var file = kubectl.WriteFile("web.yaml", manifest);

        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal(["deployment.apps/web unchanged"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        // The image tag.
        kubectl.WriteFile(file, manifest = Change(manifest, "image: nginx:1.25", "image: nginx:1.26"));
        Assert.Equal(["deployment.apps/web configured"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal("main=nginx:1.26 side=busybox:1.28 ", await ContainersAsync(kubectl, ns));

        // Replicas.
        kubectl.WriteFile(file, manifest = Change(manifest, "replicas: 2", "replicas: 4"));
        Assert.Equal(["deployment.apps/web configured"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal("4", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        // An env value.
        kubectl.WriteFile(file, manifest = Change(manifest, "value: \"2\"", "value: \"two\""));
        Assert.Equal(["deployment.apps/web configured"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal("A=1 B=two ", await EnvAsync(kubectl, ns, "main"));

        // A label.
        kubectl.WriteFile(file, manifest = Change(manifest, "tier: front", "tier: back"));
        Assert.Equal(["deployment.apps/web configured"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        var live = await GetJsonAsync(kubectl, ns, "deployment/web");
        Assert.Equal("app=web,tier=back", Labels(live));

        Assert.Equal(["deployment.apps/web unchanged"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        // 1 at creation, +1 per apply: image, replicas and env change the spec; the label changes the last-applied
        // annotation, and a Deployment's generation follows its annotations too (upstream's deployment strategy).
        Assert.Equal(5, live["metadata"]!["generation"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Apply_of_a_file_without_an_env_var_a_label_a_port_and_a_container_removes_them(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "csa-rm");
        var file = kubectl.WriteFile("web.yaml", WebDeployment);
        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        kubectl.WriteFile(file, WebDeploymentTrimmed);
        Assert.Equal(["deployment.apps/web configured"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        var live = await GetJsonAsync(kubectl, ns, "deployment/web");
        Assert.Equal("app=web", Labels(live));
        var containers = live["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        var main = Assert.Single(containers)!;
        Assert.Equal("main", main["name"]!.GetValue<string>());
        Assert.Equal(["A"], main["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal([80], main["ports"]!.AsArray().Select(p => p!["containerPort"]!.GetValue<int>()));
        Assert.Equal(["deployment.apps/web unchanged"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Apply_of_a_multi_document_file_handles_each_document_in_file_order(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "csa-multi");
        const string configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: blue\n";
        const string secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\ndata:\n  password: czNjcmV0\n";
        const string service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
        var manifest = string.Join("---\n", configMap, service, WebDeployment, secret);
        var file = kubectl.WriteFile("all.yaml", manifest);

        Assert.Equal(
            ["configmap/cfg created", "service/web created", "deployment.apps/web created", "secret/creds created"],
            await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal(
            ["configmap/cfg unchanged", "service/web unchanged", "deployment.apps/web unchanged", "secret/creds unchanged"],
            await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        kubectl.WriteFile(file, Change(manifest, "mode: blue", "mode: green"));
        Assert.Equal(
            ["configmap/cfg configured", "service/web unchanged", "deployment.apps/web unchanged", "secret/creds unchanged"],
            await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal("green", await JsonPathAsync(kubectl, ns, "configmap/cfg", "{.data.mode}"));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Apply_of_a_directory_applies_every_file_and_prune_deletes_what_left_it(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "csa-dir");
        Directory.CreateDirectory(Path.Combine(kubectl.WorkDir, "dir"));
        kubectl.WriteFile("dir/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app: x\ndata:\n  k: v\n");
        kubectl.WriteFile("dir/b.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels:\n    app: x\ndata:\n  k: v\n---\n" +
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    app: x\ndata:\n  k: dg==\n");
        // Not from these files and without the label: --prune -l app=x must leave them alone.
        Assert.Equal(["configmap/keep created"], await OkAsync(kubectl, "create", "configmap", "keep", "-n", ns, "--from-literal=k=v"));
        Assert.Equal(["configmap/other created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", kubectl.WriteFile("other.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  labels:\n    app: other\ndata:\n  k: v\n")));

        Assert.Equal(["configmap/a created", "configmap/b created", "secret/s created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", "dir/"));
        Assert.Equal(["configmap/a unchanged", "configmap/b unchanged", "secret/s unchanged"], await OkAsync(kubectl, "apply", "-n", ns, "-f", "dir/"));

        File.Delete(Path.Combine(kubectl.WorkDir, "dir", "b.yaml"));
        Assert.Equal(
            ["configmap/a unchanged", "configmap/b pruned", "secret/s pruned"],
            await OkAsync(kubectl, "apply", "-n", ns, "--prune", "-l", "app=x", "-f", "dir/"));

        Assert.Equal(
            ["configmap/a", "configmap/keep", "configmap/other"],
            (await OkAsync(kubectl, "get", "configmaps,secrets", "-n", ns, "-o", "name")).Where(n => n != "configmap/kube-root-ca.crt"));
    }

    /// <summary>Scenario B step 7 with the real manifest: applying the same file twice reports unchanged; editing one field reports configured.</summary>
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Scenario_B_step_7_webapp_deployment_twice_is_unchanged_and_a_new_image_tag_is_configured(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "scenario-b7");
        var file = kubectl.CopyScenario("08-webapp-deployment.yaml");

        Assert.Equal(["deployment.apps/webapp-deployment created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        Assert.Equal(["deployment.apps/webapp-deployment unchanged"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));

        var copy = kubectl.WriteFile("08-webapp-deployment-1.27.yaml",
            Change(File.ReadAllText(Path.Combine(kubectl.WorkDir, file)), "image: nginx:latest", "image: nginx:1.27"));
        Assert.Equal(["deployment.apps/webapp-deployment configured"], await OkAsync(kubectl, "apply", "-n", ns, "-f", copy));
        Assert.Equal(
            "webapp=nginx:1.27 database=redis:latest ",
            await ContainersAsync(kubectl, ns, "deployment/webapp-deployment"));
        Assert.Equal(["deployment.apps/webapp-deployment unchanged"], await OkAsync(kubectl, "apply", "-n", ns, "-f", copy));
    }
}
