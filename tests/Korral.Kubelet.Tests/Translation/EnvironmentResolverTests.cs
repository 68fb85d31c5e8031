using System.Text;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;

namespace Korral.Kubelet.Tests.Translation;

public sealed class EnvironmentResolverTests
{
    private static readonly EnvironmentContext Context = new(
        ["10.42.0.7"],
        ["192.0.2.2"],
        new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("2"), ["memory"] = Quantity.Parse("8Gi"), ["ephemeral-storage"] = Quantity.Parse("20Gi") });

    private readonly FakePodConfigSource _source = new();

    public EnvironmentResolverTests()
    {
        _source.Services.Add(Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP")));
        _source.ConfigMaps.Add(new ConfigMap
        {
            Metadata = new() { Namespace = "default", Name = "cm" },
            Data = new Dictionary<string, string> { ["B"] = "from-cm", ["A"] = "from-cm", ["KEY"] = "cm-key" },
        });
        _source.Secrets.Add(new Secret
        {
            Metadata = new() { Namespace = "default", Name = "sec" },
            Data = new Dictionary<string, byte[]> { ["KEY"] = Encoding.UTF8.GetBytes("s3cret"), ["token"] = Encoding.UTF8.GetBytes("t") },
        });
    }

    [Fact]
    public void EnvFrom_then_env_in_order_with_expansion_then_the_remaining_service_variables()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: busybox
                envFrom:
                - configMapRef: {name: cm}
                - prefix: S_
                  secretRef: {name: sec}
                env:
                - {name: B, value: "env-$(A)"}
                - {name: C, value: "$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)"}
                - {name: D, value: "$(C)|$(LATER)|$(UNKNOWN)|$$(A)"}
                - {name: LATER, value: later}
                - {name: KUBERNETES_SERVICE_PORT, value: "6443"}
                - {name: EMPTY}
                - name: FROM_CM
                  valueFrom: {configMapKeyRef: {name: cm, key: KEY}}
                - name: FROM_SECRET
                  valueFrom: {secretKeyRef: {name: sec, key: KEY}}
            """);

        var result = new EnvironmentResolver(_source).Resolve(pod, pod.Spec!.Containers![0], Context);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        Assert.Equal<ResolvedEnvVar>(
        [
            new("A", "from-cm"),
            new("B", "env-from-cm"),
            new("KEY", "cm-key"),
            new("S_KEY", "s3cret"),
            new("S_token", "t"),
            new("C", "10.96.0.1:443"),
            new("D", "10.96.0.1:443|$(LATER)|$(UNKNOWN)|$(A)"),
            new("LATER", "later"),
            new("KUBERNETES_SERVICE_PORT", "6443"),
            new("EMPTY", ""),
            new("FROM_CM", "cm-key"),
            new("FROM_SECRET", "s3cret"),
            new("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            new("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
            new("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
            new("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
            new("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
            new("KUBERNETES_PORT_443_TCP_PORT", "443"),
            new("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
        ], result.Value!);
    }

    [Fact]
    public void Each_referenced_configmap_is_read_once()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: busybox
                envFrom: [{configMapRef: {name: cm}}]
                env:
                - {name: X, valueFrom: {configMapKeyRef: {name: cm, key: A}}}
                - {name: Y, valueFrom: {configMapKeyRef: {name: cm, key: B}}}
            """);

        var result = new EnvironmentResolver(_source).Resolve(pod, pod.Spec!.Containers![0], Context);

        Assert.True(result.Succeeded);
        Assert.Equal(1, _source.ConfigMapLookups);
    }

    [Theory]
    [InlineData("envFrom: [{configMapRef: {name: missing}}]", "configmap \"missing\" not found")]
    [InlineData("envFrom: [{secretRef: {name: missing}}]", "secret \"missing\" not found")]
    [InlineData("env: [{name: X, valueFrom: {configMapKeyRef: {name: missing, key: A}}}]", "configmap \"missing\" not found")]
    [InlineData("env: [{name: X, valueFrom: {secretKeyRef: {name: missing, key: A}}}]", "secret \"missing\" not found")]
    [InlineData("env: [{name: X, valueFrom: {configMapKeyRef: {name: cm, key: NOPE}}}]", "couldn't find key NOPE in ConfigMap default/cm")]
    [InlineData("env: [{name: X, valueFrom: {secretKeyRef: {name: sec, key: NOPE}}}]", "couldn't find key NOPE in Secret default/sec")]
    [InlineData("env: [{name: X, valueFrom: {fieldRef: {fieldPath: status.phase}}}]", "unsupported fieldPath: status.phase")]
    [InlineData("env: [{name: X, valueFrom: {fieldRef: {fieldPath: spec.priority}}}]", "field label not supported: spec.priority")]
    [InlineData("env: [{name: X, valueFrom: {fieldRef: {fieldPath: \"metadata.name['x']\"}}}]", "field label does not support subscript: metadata.name['x']")]
    [InlineData("env: [{name: X, valueFrom: {fieldRef: {apiVersion: v2, fieldPath: metadata.name}}}]", "unsupported pod version: v2")]
    [InlineData("env: [{name: X, valueFrom: {resourceFieldRef: {resource: limits.nvidia.com/gpu}}}]", "unsupported container resource : limits.nvidia.com/gpu")]
    [InlineData("env: [{name: X, valueFrom: {resourceFieldRef: {containerName: nope, resource: limits.cpu}}}]", "container nope not found")]
    public void Missing_sources_fail_with_the_kubelets_message(string containerYaml, string error)
    {
        var result = Resolve(containerYaml);

        Assert.False(result.Succeeded);
        Assert.Equal(error, result.Error);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("envFrom: [{configMapRef: {name: missing, optional: true}}]")]
    [InlineData("envFrom: [{secretRef: {name: missing, optional: true}}]")]
    [InlineData("env: [{name: X, valueFrom: {configMapKeyRef: {name: missing, key: A, optional: true}}}]")]
    [InlineData("env: [{name: X, valueFrom: {configMapKeyRef: {name: cm, key: NOPE, optional: true}}}]")]
    [InlineData("env: [{name: X, valueFrom: {secretKeyRef: {name: missing, key: A, optional: true}}}]")]
    [InlineData("env: [{name: X, valueFrom: {secretKeyRef: {name: sec, key: NOPE, optional: true}}}]")]
    public void Optional_sources_that_are_missing_are_skipped(string containerYaml)
    {
        var result = Resolve(containerYaml);

        Assert.True(result.Succeeded, result.Error);
        Assert.DoesNotContain(result.Value!, v => v.Name == "X" || v.Name == "A");
    }

    [Theory]
    [InlineData("metadata.name", "p")]
    [InlineData("metadata.namespace", "default")]
    [InlineData("metadata.uid", Uid)]
    [InlineData("metadata.labels['app']", "web")]
    [InlineData("metadata.labels['missing']", "")]
    [InlineData("metadata.annotations['example.com/note']", "say \"hi\"")]
    [InlineData("metadata.labels", "app=\"web\"\ntier=\"front\"")]
    [InlineData("metadata.annotations", "example.com/note=\"say \\\"hi\\\"\"")]
    [InlineData("spec.nodeName", "node-1")]
    [InlineData("spec.serviceAccountName", "default")]
    [InlineData("status.hostIP", "192.0.2.2")]
    [InlineData("status.hostIPs", "192.0.2.2")]
    [InlineData("status.podIP", "10.42.0.7")]
    [InlineData("status.podIPs", "10.42.0.7")]
    public void Field_references_read_the_pod_and_the_node(string fieldPath, string expected)
    {
        var pod = Pod($$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              labels: {tier: front, app: web}
              annotations: {example.com/note: 'say "hi"'}
            spec:
              containers:
              - name: c
                image: busybox
                env:
                - name: X
                  valueFrom:
                    fieldRef:
                      fieldPath: "{{fieldPath}}"
            """);

        var result = new EnvironmentResolver(_source).Resolve(pod, pod.Spec!.Containers![0], Context);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Value!.Single(v => v.Name == "X").Value);
    }

    [Theory]
    [InlineData("limits.cpu", null, "1")] // 250m rounded up to whole cpus
    [InlineData("limits.cpu", "1m", "250")]
    [InlineData("requests.cpu", "1m", "100")]
    [InlineData("requests.cpu", null, "1")]
    [InlineData("limits.memory", null, "134217728")]
    [InlineData("limits.memory", "1Mi", "128")]
    [InlineData("requests.memory", "1Mi", "64")]
    [InlineData("requests.memory", "1Gi", "1")] // 64Mi is a part of a Gi: rounded up
    [InlineData("limits.ephemeral-storage", "1Gi", "20")] // unset: the node's allocatable
    [InlineData("requests.ephemeral-storage", null, "0")]
    public void Resource_references_divide_and_round_up(string resource, string? divisor, string expected)
    {
        var divisorYaml = divisor is null ? "" : $", divisor: {divisor}";
        var result = Resolve(
            $"env: [{{name: X, valueFrom: {{resourceFieldRef: {{resource: {resource}{divisorYaml}}}}}}}]",
            resources: "resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 250m, memory: 128Mi}}");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Value!.Single(v => v.Name == "X").Value);
    }

    [Theory]
    [InlineData("limits.cpu", "2")]
    [InlineData("limits.memory", "8589934592")]
    [InlineData("requests.cpu", "0")]
    public void Limits_a_container_does_not_set_are_the_nodes_allocatable(string resource, string expected)
    {
        var result = Resolve($"env: [{{name: X, valueFrom: {{resourceFieldRef: {{resource: {resource}}}}}}}]");

        Assert.Equal(expected, result.Value!.Single(v => v.Name == "X").Value);
    }

    [Fact]
    public void EnvFrom_keys_that_cannot_be_variable_names_are_skipped_and_reported()
    {
        _source.ConfigMaps.Add(new ConfigMap
        {
            Metadata = new() { Namespace = "default", Name = "odd" },
            Data = new Dictionary<string, string> { ["app.properties"] = "kept", ["a=b"] = "x", ["tab\tkey"] = "y", ["ok"] = "z" },
        });

        var result = Resolve("envFrom: [{configMapRef: {name: odd}}]");

        Assert.True(result.Succeeded);
        Assert.Equal(["app.properties", "ok"], result.Value!.Where(v => !v.Name.StartsWith("KUBERNETES_", StringComparison.Ordinal)).Select(v => v.Name));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("InvalidEnvironmentVariableNames", warning.Reason);
        Assert.Equal("Keys [a=b, tab\tkey] from the EnvFrom configMap default/odd were skipped since they are considered invalid environment variable names.", warning.Message);
    }

    [Fact]
    public void Without_service_links_only_the_master_service_is_seen()
    {
        _source.Services.Add(Service("default", "web", "10.96.0.20", (null, 80, "TCP")));

        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              enableServiceLinks: false
              containers: [{name: c, image: busybox}]
            """);
        var result = new EnvironmentResolver(_source).Resolve(pod, pod.Spec!.Containers![0], Context);

        Assert.All(result.Value!, v => Assert.StartsWith("KUBERNETES_", v.Name, StringComparison.Ordinal));
        Assert.Equal(8, result.Value!.Count);
    }

    [Fact]
    public void Command_and_args_expand_against_the_final_environment()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: busybox
                command: [sh, -c, "echo $(GREETING) $$HOME"]
                args: ["$(KUBERNETES_SERVICE_HOST)", "$(NOPE)", "$(A)"]
                envFrom: [{configMapRef: {name: cm}}]
                env: [{name: GREETING, value: hello}]
            """);
        var env = new EnvironmentResolver(_source).Resolve(pod, pod.Spec!.Containers![0], Context).Value!;

        var (command, args) = EnvironmentResolver.ExpandCommandAndArgs(pod.Spec.Containers[0], env);

        Assert.Equal(["sh", "-c", "echo hello $HOME"], command);
        Assert.Equal(["10.96.0.1", "$(NOPE)", "from-cm"], args);
    }

    private TranslationResult<IReadOnlyList<ResolvedEnvVar>> Resolve(string containerYaml, string resources = "")
    {
        var pod = Pod($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: busybox
                {{containerYaml}}
                {{resources}}
            """);
        return new EnvironmentResolver(_source).Resolve(pod, pod.Spec!.Containers![0], Context);
    }
}
