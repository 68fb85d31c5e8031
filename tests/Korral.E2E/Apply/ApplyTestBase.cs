using System.Text.Json.Nodes;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// Base of the "Patch and apply" end-to-end tests: a Deployment manifest the tests edit, and short ways to run kubectl
/// and read the live object back. Every test works in a namespace of its own.
/// </summary>
public abstract class ApplyTestBase(KorralServer server) : E2ETest(server)
{
    /// <summary>
    /// Deployment "web": two labels, two containers; "main" has two env vars and two ports. Tests change or drop parts
    /// with <see cref="Change"/> and <see cref="Drop"/>, which fail when the text to change is missing.
    /// </summary>
    protected const string WebDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
            tier: front
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: main
                image: nginx:1.25
                env:
                - name: A
                  value: "1"
                - name: B
                  value: "2"
                ports:
                - containerPort: 80
                - containerPort: 443
              - name: side
                image: busybox:1.28
                command: ["sleep", "3600"]

        """;

    /// <summary><see cref="WebDeployment"/> without env B, label tier, port 443 and container "side".</summary>
    protected static string WebDeploymentTrimmed => Drop(
        Drop(Drop(Drop(WebDeployment, "    tier: front\n"), "        - name: B\n          value: \"2\"\n"), "        - containerPort: 443\n"),
        "      - name: side\n        image: busybox:1.28\n        command: [\"sleep\", \"3600\"]\n");

    /// <summary>Replaces text that must be present (so a typo in a test cannot silently leave the manifest unchanged).</summary>
    protected static string Change(string text, string from, string to)
    {
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"the manifest has no \"{from}\":\n{text}");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    protected static string Drop(string text, string part) => Change(text, part, "");

    /// <summary>Creates a namespace of its own and <see cref="WebDeployment"/> in it with `kubectl create -f`; returns the namespace.</summary>
    protected static async Task<string> CreateWebAsync(Kubectl kubectl, string prefix)
    {
        var ns = await CreateNamespaceAsync(kubectl, prefix);
        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "create", "-n", ns, "-f", kubectl.WriteFile("web.yaml", WebDeployment)));
        return ns;
    }

    /// <summary>Runs kubectl, which must succeed, and returns its stdout lines.</summary>
    protected static async Task<IReadOnlyList<string>> OkAsync(Kubectl kubectl, params string[] args) =>
        (await kubectl.RunAsync(args)).EnsureSuccess().Lines;

    /// <summary>Runs kubectl, which must fail with exit code 1, and returns the result.</summary>
    protected static async Task<KubectlResult> FailAsync(Kubectl kubectl, params string[] args)
    {
        var result = (await kubectl.RunAsync(args)).EnsureFailure();
        Assert.True(result.ExitCode == 1, $"expected exit code 1\n{result}");
        return result;
    }

    /// <summary>`kubectl get &lt;target&gt; -n ns -o jsonpath=&lt;expression&gt;`.</summary>
    protected static async Task<string> JsonPathAsync(Kubectl kubectl, string ns, string target, string expression) =>
        (await kubectl.RunAsync("get", target, "-n", ns, "-o", $"jsonpath={expression}")).EnsureSuccess().Stdout;

    /// <summary>`kubectl get &lt;target&gt; -n ns -o json` (managedFields included when asked) as a JSON object.</summary>
    protected static async Task<JsonObject> GetJsonAsync(Kubectl kubectl, string ns, string target, bool managedFields = false)
    {
        string[] args = managedFields
            ? ["get", target, "-n", ns, "-o", "json", "--show-managed-fields"]
            : ["get", target, "-n", ns, "-o", "json"];
        var result = (await kubectl.RunAsync(args)).EnsureSuccess();
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    /// <summary>Fails unless `kubectl get` says the object does not exist.</summary>
    protected static async Task AssertAbsentAsync(Kubectl kubectl, string ns, string resource, string name)
    {
        var result = (await kubectl.RunAsync("get", resource, name, "-n", ns)).EnsureFailure();
        Assert.Equal($"Error from server (NotFound): {resource} \"{name}\" not found", result.Stderr.Trim());
    }

    /// <summary>The containers of a Deployment's pod template as "name=image" in order.</summary>
    protected static Task<string> ContainersAsync(Kubectl kubectl, string ns, string deployment = "deployment/web") =>
        JsonPathAsync(kubectl, ns, deployment, "{range .spec.template.spec.containers[*]}{.name}={.image} {end}");

    /// <summary>The env of one container of a Deployment as "NAME=value" in order.</summary>
    protected static Task<string> EnvAsync(Kubectl kubectl, string ns, string container) =>
        JsonPathAsync(kubectl, ns, "deployment/web", $"{{range .spec.template.spec.containers[?(@.name==\"{container}\")].env[*]}}{{.name}}={{.value}} {{end}}");

    /// <summary>The labels of an object as sorted "key=value" pairs.</summary>
    protected static string Labels(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject labels
            ? string.Join(",", labels.Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal))
            : "";

    /// <summary>The annotations of an object as sorted "key=value" pairs, last-applied-configuration left out.</summary>
    protected static string Annotations(JsonObject obj) =>
        obj["metadata"]?["annotations"] is JsonObject annotations
            ? string.Join(",", annotations.Where(a => a.Key != LastApplied).Select(a => $"{a.Key}={a.Value}").Order(StringComparer.Ordinal))
            : "";

    protected const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";
}
