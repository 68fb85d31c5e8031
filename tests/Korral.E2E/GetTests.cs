using System.Text.Json;
using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>`kubectl get` in every output form a tutorial uses, on two pods (web-1 app=web, db-1 app=db) in a namespace of their own.</summary>
public sealed class GetTests(KorralServer server) : E2ETest(server)
{
    private async Task<(Kubectl Kubectl, string Ns)> TwoPodsAsync(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "get");
        await CreatePodsAsync(kubectl, ns, ("web-1", "web"), ("db-1", "db"));
        return (kubectl, ns);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_prints_the_pod_table(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var result = (await kubectl.RunAsync("get", "pods", "-n", ns)).EnsureSuccess();

        Assert.Equal("NAME READY STATUS RESTARTS AGE", Collapse(result.Lines[0]));
        var rows = result.Lines.Skip(1).Select(Cells).ToList();
        Assert.Equal(["db-1", "web-1"], rows.Select(r => r[0]));
        Assert.All(rows, r =>
        {
            Assert.Equal(5, r.Length);
            Assert.Matches(@"^[01]/1$", r[1]);
            Assert.Contains(r[2], (string[])["Pending", "ContainerCreating", "Running"]);
            Assert.Matches(@"^\d+$", r[3]);
            Assert.Matches(@"^\d+[smhd]", r[4]);
        });
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_o_wide_adds_ip_and_node_columns(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var result = (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "wide")).EnsureSuccess();

        Assert.Equal("NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES", Collapse(result.Lines[0]));
        Assert.Equal(["db-1", "web-1"], result.Lines.Skip(1).Select(l => Cells(l)[0]));
        Assert.All(result.Lines.Skip(1), l => Assert.EndsWith("<none>", l, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pod_o_yaml_prints_the_stored_object(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var result = (await kubectl.RunAsync("get", "pod", "web-1", "-n", ns, "-o", "yaml")).EnsureSuccess();

        var lines = result.Stdout.Split('\n');
        Assert.Contains("apiVersion: v1", lines);
        Assert.Contains("kind: Pod", lines);
        Assert.Contains("metadata:", lines);
        Assert.Contains("  name: web-1", lines);
        Assert.Contains($"  namespace: {ns}", lines);
        Assert.Contains("    app: web", lines);
        Assert.Contains(lines, l => l.StartsWith("  uid: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  resourceVersion: \"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  creationTimestamp: \"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart(' ', '-') == "image: nginx");
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_o_json_prints_the_object_and_lists_as_a_list(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var one = (await kubectl.RunAsync("get", "pod", "web-1", "-n", ns, "-o", "json")).EnsureSuccess();
        var all = (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "json")).EnsureSuccess();

        using var pod = JsonDocument.Parse(one.Stdout);
        Assert.Equal("Pod", pod.RootElement.GetProperty("kind").GetString());
        Assert.Equal("v1", pod.RootElement.GetProperty("apiVersion").GetString());
        var metadata = pod.RootElement.GetProperty("metadata");
        Assert.Equal("web-1", metadata.GetProperty("name").GetString());
        Assert.Equal(ns, metadata.GetProperty("namespace").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("uid").GetString()));
        Assert.Equal("web", metadata.GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal("nginx", pod.RootElement.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());

        using var list = JsonDocument.Parse(all.Stdout);
        Assert.Equal("List", list.RootElement.GetProperty("kind").GetString());
        Assert.Equal(
            ["db-1", "web-1"],
            list.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_o_name_prints_kind_slash_name(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var result = (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "name")).EnsureSuccess();

        Assert.Equal(["pod/db-1", "pod/web-1"], result.Lines);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_o_jsonpath_prints_just_the_value(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var one = (await kubectl.RunAsync("get", "pod", "web-1", "-n", ns, "-o", "jsonpath={.metadata.name}")).EnsureSuccess();
        var all = (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}")).EnsureSuccess();

        Assert.Equal("web-1", one.Stdout);
        Assert.Equal("db-1 web-1", all.Stdout);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_all_namespaces_adds_the_namespace_column(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var result = (await kubectl.RunAsync("get", "pods", "-A")).EnsureSuccess();

        Assert.Equal("NAMESPACE NAME READY STATUS RESTARTS AGE", Collapse(result.Lines[0]));
        var ours = result.Lines.Skip(1).Select(Cells).Where(r => r[0] == ns).Select(r => r[1]);
        Assert.Equal(["db-1", "web-1"], ours);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_with_a_label_selector_lists_only_matching_pods(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var web = (await kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "name")).EnsureSuccess();
        var notWeb = (await kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app!=web", "-o", "name")).EnsureSuccess();
        var none = (await kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=nope")).EnsureSuccess();

        Assert.Equal(["pod/web-1"], web.Lines);
        Assert.Equal(["pod/db-1"], notWeb.Lines);
        Assert.Empty(none.Lines);
        Assert.Equal($"No resources found in {ns} namespace.", none.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_with_a_field_selector_lists_only_matching_pods(string version)
    {
        var (kubectl, ns) = await TwoPodsAsync(version);

        var result = (await kubectl.RunAsync("get", "pods", "-n", ns, "--field-selector", "metadata.name=db-1")).EnsureSuccess();

        Assert.Equal("NAME READY STATUS RESTARTS AGE", Collapse(result.Lines[0]));
        Assert.Equal(["db-1"], result.Lines.Skip(1).Select(l => Cells(l)[0]));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_in_an_empty_namespace_says_no_resources_found(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "empty");

        var result = (await kubectl.RunAsync("get", "pods", "-n", ns)).EnsureSuccess();

        Assert.Equal("", result.Stdout);
        Assert.Equal($"No resources found in {ns} namespace.", result.Stderr.Trim());
    }
}
