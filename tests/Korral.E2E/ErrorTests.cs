using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>Errors reach the user verbatim: the server's Status (reason and message) and kubectl's own client-side errors.</summary>
public sealed class ErrorTests(KorralServer server) : E2ETest(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_of_a_missing_pod_is_not_found(string version)
    {
        var result = (await Kubectl(version).RunAsync("get", "pods", "nope")).EnsureFailure();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): pods \"nope\" not found", result.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Create_f_of_an_existing_object_is_already_exists(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "exists");
        var file = kubectl.WriteFile("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\ndata:\n  k: v\n");
        (await kubectl.RunAsync("create", "-f", file, "-n", ns)).EnsureSuccess();

        var result = (await kubectl.RunAsync("create", "-f", file, "-n", ns)).EnsureFailure();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (AlreadyExists): error when creating \"cm.yaml\": configmaps \"twice\" already exists", result.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Create_f_of_a_pod_with_an_invalid_name_is_invalid(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "invalid");
        var file = kubectl.WriteFile("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n    image: nginx\n");

        var result = (await kubectl.RunAsync("create", "-f", file, "-n", ns)).EnsureFailure();

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(
            "The Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters",
            result.Stderr.Trim(),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Replace_with_a_stale_resource_version_is_a_conflict(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "conflict");
        (await kubectl.RunAsync("create", "configmap", "cfg", "--from-literal=k=old", "-n", ns)).EnsureSuccess();
        var current = (await kubectl.RunAsync("get", "configmap", "cfg", "-n", ns, "-o", "yaml")).EnsureSuccess().Stdout;
        Assert.Contains("  k: old\n", current, StringComparison.Ordinal);
        var stale = kubectl.WriteFile("stale.yaml", current);
        var fresh = kubectl.WriteFile("fresh.yaml", current.Replace("  k: old\n", "  k: new\n", StringComparison.Ordinal));

        // Both files carry the same resourceVersion: the first replace wins and moves it on, the second is stale.
        var first = (await kubectl.RunAsync("replace", "-f", fresh)).EnsureSuccess();
        var second = (await kubectl.RunAsync("replace", "-f", stale)).EnsureFailure();

        Assert.Equal("configmap/cfg replaced", first.Stdout.Trim());
        Assert.Equal(
            "Error from server (Conflict): error when replacing \"stale.yaml\": Operation cannot be fulfilled on configmaps \"cfg\": " +
            "the object has been modified; please apply your changes to the latest version and try again",
            second.Stderr.Trim());
        Assert.Equal("new", (await kubectl.RunAsync("get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data.k}")).EnsureSuccess().Stdout);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_of_an_unknown_resource_type_says_so(string version)
    {
        var result = (await Kubectl(version).RunAsync("get", "nope")).EnsureFailure();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: the server doesn't have a resource type \"nope\"", result.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Apply_of_malformed_yaml_prints_kubectls_parse_error(string version)
    {
        var kubectl = Kubectl(version);
        var file = kubectl.WriteFile("malformed.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n");

        var result = (await kubectl.RunAsync("apply", "-f", file)).EnsureFailure();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: error parsing malformed.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key", result.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Apply_with_an_unknown_field_is_rejected_by_strict_validation(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "strict");
        var file = kubectl.WriteFile("unknown-field.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  foo: bar\n  containers:\n  - name: c\n    image: nginx\n");

        var result = (await kubectl.RunAsync("apply", "-f", file, "-n", ns)).EnsureFailure();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown field \"spec.foo\"", result.Stderr, StringComparison.Ordinal);
        var get = (await kubectl.RunAsync("get", "pod", "typo", "-n", ns)).EnsureFailure();
        Assert.Equal("Error from server (NotFound): pods \"typo\" not found", get.Stderr.Trim());
    }
}
