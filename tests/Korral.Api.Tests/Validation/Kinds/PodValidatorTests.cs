using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Kinds.Core;

namespace Korral.Api.Tests.Validation.Kinds;

public class PodValidatorTests
{
    private static readonly PodValidator Validator = new();

    public static TheoryData<string, Action<JsonObject>, string[]> CreateCases => new()
    {
        { "valid", _ => { }, [] },
        { "no containers", p => p.Spec()["containers"] = new JsonArray(), ["spec.containers: Required value"] },
        { "image required", p => p.Container().Remove("image"), ["spec.containers[0].image: Required value"] },
        {
            "bad name",
            p => p["metadata"]!["name"] = "Bad_Name",
            ["metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
        },
        { "no name", p => ((JsonObject)p["metadata"]!).Remove("name"), ["metadata.name: Required value: name or generateName is required"] },
        { "no namespace", p => ((JsonObject)p["metadata"]!).Remove("namespace"), ["metadata.namespace: Required value"] },
        {
            "bad container name",
            p => p.Container()["name"] = "Web",
            ["spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        },
        {
            "duplicate container names across init and regular",
            p => p.Spec()["initContainers"] = new JsonArray(new JsonObject
            {
                ["name"] = "web", ["image"] = "busybox", ["imagePullPolicy"] = "IfNotPresent", ["terminationMessagePolicy"] = "File",
            }),
            ["spec.initContainers[0].name: Duplicate value: \"web\""]
        },
        {
            "pull policy",
            p => p.Container()["imagePullPolicy"] = "x",
            ["spec.containers[0].imagePullPolicy: Unsupported value: \"x\": supported values: \"Always\", \"IfNotPresent\", \"Never\""]
        },
        {
            "port out of range",
            p => p.Container()["ports"]![0]!["containerPort"] = 70000,
            ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
        },
        {
            "port protocol",
            p => p.Container()["ports"]![0]!["protocol"] = "ICMP",
            ["spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""]
        },
        {
            "duplicate port names",
            p => ((JsonArray)p.Container()["ports"]!).Add(new JsonObject { ["name"] = "http", ["containerPort"] = 81, ["protocol"] = "TCP" }),
            ["spec.containers[0].ports[1].name: Duplicate value: \"http\""]
        },
        {
            "port name too long",
            p => p.Container()["ports"]![0]!["name"] = "a-very-long-port-name",
            ["spec.containers[0].ports[0].name: Invalid value: \"a-very-long-port-name\": must be no more than 15 characters"]
        },
        {
            "env name",
            p => p.Container()["env"] = new JsonArray(new JsonObject { ["name"] = "A=B", ["value"] = "x" }),
            ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"]
        },
        {
            "env value and valueFrom",
            p => p.Container()["env"] = new JsonArray(new JsonObject
            {
                ["name"] = "A", ["value"] = "x",
                ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "s", ["key"] = "k" } },
            }),
            ["spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"]
        },
        {
            "volume mount of missing volume",
            p => p.Container()["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/data" }),
            ["spec.containers[0].volumeMounts[0].name: Not found: \"data\""]
        },
        {
            "volume without source",
            p => p.Spec()["volumes"] = new JsonArray(new JsonObject { ["name"] = "data" }),
            ["spec.volumes[0]: Required value: must specify a volume type"]
        },
        {
            "volume with two sources",
            p => p.Spec()["volumes"] = new JsonArray(new JsonObject
            {
                ["name"] = "data", ["emptyDir"] = new JsonObject(), ["configMap"] = new JsonObject { ["name"] = "c", ["defaultMode"] = 420 },
            }),
            ["spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"]
        },
        {
            "duplicate volume names",
            p => p.Spec()["volumes"] = new JsonArray(
                new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() },
                new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() }),
            ["spec.volumes[1].name: Duplicate value: \"data\""]
        },
        {
            "restart policy",
            p => p.Spec()["restartPolicy"] = "Sometimes",
            ["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""]
        },
        {
            "dns policy",
            p => p.Spec()["dnsPolicy"] = "Google",
            ["spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""]
        },
        {
            "requests above limits",
            p => p.Container()["resources"] = JsonNode.Parse("""{"limits":{"cpu":"500m"},"requests":{"cpu":"1"}}"""),
            ["spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m"]
        },
        {
            "negative quantity",
            p => p.Container()["resources"] = JsonNode.Parse("""{"requests":{"memory":"-1Mi"}}"""),
            ["spec.containers[0].resources.requests[memory]: Invalid value: \"-1Mi\": must be greater than or equal to 0"]
        },
        {
            "unknown resource",
            p => p.Container()["resources"] = JsonNode.Parse("""{"limits":{"gpu":"1"}}"""),
            [
                "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
            ]
        },
        {
            "extended resource requests must equal limits",
            p => p.Container()["resources"] = JsonNode.Parse("""{"limits":{"example.com/gpu":"2"},"requests":{"example.com/gpu":"1"}}"""),
            ["spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to example.com/gpu limit of 2"]
        },
        {
            "liveness success threshold",
            p => p.Container()["livenessProbe"] = JsonNode.Parse("""{"httpGet":{"path":"/","port":80,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":2,"failureThreshold":3}"""),
            ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]
        },
        {
            "probe without handler",
            p => p.Container()["readinessProbe"] = JsonNode.Parse("""{"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}"""),
            ["spec.containers[0].readinessProbe: Required value: must specify a handler type"]
        },
        {
            "toleration operator",
            p => p.Spec()["tolerations"] = JsonNode.Parse("""[{"key":"a","operator":"Maybe"}]"""),
            ["spec.tolerations[0].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\""]
        },
        {
            "label value",
            p => p["metadata"]!["labels"]!["app"] = "bad value",
            ["metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
        },
        {
            "active deadline",
            p => p.Spec()["activeDeadlineSeconds"] = 0,
            ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"]
        },
        {
            "ephemeral containers on create",
            p => p.Spec()["ephemeralContainers"] = JsonNode.Parse("""[{"name":"debug","image":"busybox","imagePullPolicy":"Always","terminationMessagePolicy":"File"}]"""),
            ["spec.ephemeralContainers: Forbidden: cannot be set on create"]
        },
        {
            "image whitespace",
            p => p.Container()["image"] = " nginx",
            ["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"]
        },
        {
            "host network port mismatch",
            p =>
            {
                p.Spec()["hostNetwork"] = true;
                p.Container()["ports"]![0]!["hostPort"] = 8080;
            },
            ["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"]
        },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create(string name, Action<JsonObject> edit, string[] expected)
    {
        _ = name;
        var pod = TestObjects.Pod().With(edit);
        Assert.Equal(expected, Validator.ValidateCreate(pod).Select(e => e.ToString()));
    }

    [Fact]
    public void UpdateMayChangeImages()
    {
        var old = TestObjects.Pod();
        var updated = TestObjects.Pod().With(p => p.Container()["image"] = "nginx:1.28");
        Assert.Empty(Validator.ValidateUpdate(updated, old));
    }

    [Fact]
    public void UpdateMayNotChangePorts()
    {
        var old = TestObjects.Pod();
        var updated = TestObjects.Pod().With(p => p.Container()["ports"]![0]!["containerPort"] = 8080);
        var errors = Validator.ValidateUpdate(updated, old);
        var error = Assert.Single(errors);
        Assert.Equal("spec", error.Field);
        Assert.Equal(FieldErrorType.Forbidden, error.Type);
        Assert.StartsWith(
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
            error.ToString());
        Assert.Contains("spec.containers[0].ports[0].containerPort: 80", error.Detail);
        Assert.Contains("spec.containers[0].ports[0].containerPort: 8080", error.Detail);
    }

    [Fact]
    public void UpdateMayNotAddContainers()
    {
        var old = TestObjects.Pod();
        var updated = TestObjects.Pod().With(p => ((JsonArray)p.Spec()["containers"]!).Add(JsonNode.Parse(
            """{"name":"side","image":"busybox","imagePullPolicy":"Always","terminationMessagePolicy":"File","terminationMessagePath":"/dev/termination-log","resources":{}}""")));
        Assert.Equal(["spec.containers: Forbidden: pod updates may not add or remove containers"], Validator.ValidateUpdate(updated, old).Select(e => e.ToString()));
    }

    [Fact]
    public void UpdateAllowsAddedTolerationsAndLowerDeadline()
    {
        var old = TestObjects.Pod().With(p => p.Spec()["activeDeadlineSeconds"] = 100);
        var updated = TestObjects.Pod().With(p =>
        {
            p.Spec()["activeDeadlineSeconds"] = 50;
            p.Spec()["tolerations"] = JsonNode.Parse("""[{"key":"a","operator":"Exists","effect":"NoSchedule"}]""");
        });
        Assert.Empty(Validator.ValidateUpdate(updated, old));

        var raised = TestObjects.Pod().With(p => p.Spec()["activeDeadlineSeconds"] = 200);
        Assert.Equal(["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"],
            Validator.ValidateUpdate(raised, old).Select(e => e.ToString()));
    }

    [Fact]
    public void UpdateKeepsNameImmutable()
    {
        var old = TestObjects.Pod();
        var renamed = TestObjects.Pod().With(p => p["metadata"]!["name"] = "other");
        Assert.Equal(["metadata.name: Invalid value: \"other\": field is immutable"], Validator.ValidateUpdate(renamed, old).Select(e => e.ToString()));
    }

    [Fact]
    public void ScenarioPodsAreValid()
    {
        foreach (var json in new[]
        {
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"test-app-pod","namespace":"default"},"spec":{"containers":[{"name":"test-app-container","image":"nginx:latest","ports":[{"containerPort":80}]}]}}""",
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"webapp-with-db","namespace":"default","labels":{"app":"my-webapp"}},"spec":{"containers":[{"name":"webapp","image":"nginx:latest","ports":[{"containerPort":80}]},{"name":"database","image":"redis:latest"}]}}""",
        })
        {
            Assert.Empty(Validator.ValidateCreate(TestObjects.Defaulted("", "Pod", json)));
        }
    }
}
