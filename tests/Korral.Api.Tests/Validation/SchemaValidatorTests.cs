using System.Text.Json.Nodes;
using Korral.Api.Schema;
using Korral.Api.Validation.Structure;

namespace Korral.Api.Tests.Validation;

public class SchemaValidatorTests
{
    private static readonly GroupVersionKind WidgetKind = new("example.com", "v1", "Widget");

    /// <summary>A tiny catalog: Widget { apiVersion, kind, metadata, spec: WidgetSpec }.</summary>
    private sealed class TestCatalog : ISchemaCatalog
    {
        public TestCatalog()
        {
            static FieldSchema F(FieldKind kind, string? format = null, string? r = null, FieldSchema? items = null) =>
                new() { Kind = kind, Format = format, Ref = r, Items = items };
            var types = new[]
            {
                new TypeSchema
                {
                    Name = "com.example.v1.Widget",
                    Kinds = [WidgetKind],
                    Properties = new Dictionary<string, FieldSchema>
                    {
                        ["apiVersion"] = F(FieldKind.String),
                        ["kind"] = F(FieldKind.String),
                        ["metadata"] = F(FieldKind.Object, r: "com.example.v1.Meta"),
                        ["spec"] = F(FieldKind.Object, r: "com.example.v1.WidgetSpec"),
                    },
                },
                new TypeSchema
                {
                    Name = "com.example.v1.Meta",
                    Properties = new Dictionary<string, FieldSchema>
                    {
                        ["name"] = F(FieldKind.String),
                        ["labels"] = F(FieldKind.Map, items: F(FieldKind.String)),
                    },
                },
                new TypeSchema
                {
                    Name = "com.example.v1.WidgetSpec",
                    Required = ["size"],
                    Properties = new Dictionary<string, FieldSchema>
                    {
                        ["replicas"] = F(FieldKind.Integer, "int32"),
                        ["enabled"] = F(FieldKind.Boolean),
                        ["size"] = F(FieldKind.Quantity),
                        ["target"] = F(FieldKind.IntOrString),
                        ["created"] = F(FieldKind.Time),
                        ["data"] = F(FieldKind.Bytes, "byte"),
                        ["ports"] = F(FieldKind.Array, items: F(FieldKind.Object, r: "com.example.v1.Port")),
                        ["extra"] = F(FieldKind.Object, r: "com.example.v1.Free"),
                    },
                },
                new TypeSchema
                {
                    Name = "com.example.v1.Port",
                    Properties = new Dictionary<string, FieldSchema> { ["port"] = F(FieldKind.Integer, "int32"), ["name"] = F(FieldKind.String) },
                },
                new TypeSchema { Name = "com.example.v1.Free", Properties = new Dictionary<string, FieldSchema>(), PreserveUnknownFields = true },
            };
            Types = types.ToDictionary(t => t.Name);
        }

        public IReadOnlyDictionary<string, TypeSchema> Types { get; }

        public TypeSchema? FindByKind(GroupVersionKind kind) => Types.Values.FirstOrDefault(t => t.Kinds.Contains(kind));

        public TypeSchema? Find(string name) => Types.GetValueOrDefault(name);
    }

    private static readonly SchemaValidator Widgets = new(new TestCatalog());
    private static readonly SchemaValidator Real = new(GeneratedSchemaCatalog.Instance);

    [Fact]
    public void CleanObjectHasNoFindings()
    {
        var result = Widgets.Check(TestObjects.Parse("""
            {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"b"}},
             "spec":{"replicas":2,"enabled":true,"size":"1Gi","target":"50%","created":"2025-01-02T03:04:05Z","data":"aGk=",
                     "ports":[{"port":80,"name":"http"}],"extra":{"anything":[1,2,{"x":true}]}}}
            """), WidgetKind);
        Assert.True(result.IsClean);
        Assert.Null(result.StrictDecodingMessage);
    }

    [Fact]
    public void TypeMismatchesAreReportedAsTheDecoderAndAsSchemaValidation()
    {
        var result = Widgets.Check(TestObjects.Parse("""
            {"spec":{"replicas":"three","enabled":"yes","size":"big","target":true,"ports":[{"port":1.5}],"created":"yesterday","data":"!!"}}
            """), WidgetKind);
        Assert.Equal(
            [
                "json: cannot unmarshal string into Go struct field WidgetSpec.spec.replicas of type int32",
                "json: cannot unmarshal string into Go struct field WidgetSpec.spec.enabled of type bool",
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                "json: cannot unmarshal bool into Go value of type int32",
                "json: cannot unmarshal number 1.5 into Go struct field Port.spec.ports.port of type int32",
                "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"",
                "illegal base64 data at input byte 0",
            ],
            result.DecodeErrors.Select(e => e.Message));
        Assert.Equal("spec.ports[0].port", result.DecodeErrors[4].Field);
        Assert.Equal("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"", result.TypeErrors[0].ToString());
        Assert.Equal("FieldValueTypeInvalid", result.TypeErrors[0].Cause.Reason);
        Assert.Equal(
            "Widget in version \"v1\" cannot be handled as a Widget: json: cannot unmarshal string into Go struct field WidgetSpec.spec.replicas of type int32",
            SchemaCheckResult.CannotBeHandled("Widget", "v1", result.DecodeErrors[0].Message));
    }

    [Fact]
    public void UnknownAndMissingFields()
    {
        var result = Widgets.Check(TestObjects.Parse("""{"spec":{"replicaz":1,"ports":[{"port":1,"Name":"x"}],"extra":{"free":1}},"status":{}}"""), WidgetKind);
        Assert.Equal(["spec.replicaz", "spec.ports[0].Name", "status"], result.UnknownFields);
        Assert.Equal("strict decoding error: unknown field \"spec.replicaz\", unknown field \"spec.ports[0].Name\", unknown field \"status\"", result.StrictDecodingMessage);
        Assert.Equal(["unknown field \"spec.replicaz\"", "unknown field \"spec.ports[0].Name\"", "unknown field \"status\""], result.UnknownFieldWarnings);
        Assert.Equal(["spec.size: Required value"], result.MissingRequired.Select(e => e.ToString()));
    }

    [Fact]
    public void PruneAndCanonicalize()
    {
        var obj = TestObjects.Parse("""{"spec":{"replicaz":1,"size":0.5,"ports":[{"port":1,"bogus":2}],"extra":{"kept":1}},"status":{}}""");
        Assert.Equal(3, Widgets.PruneUnknownFields(obj, WidgetKind));
        Assert.Equal(1, Widgets.CanonicalizeQuantities(obj, WidgetKind));
        Assert.Equal("""{"spec":{"size":"500m","ports":[{"port":1}],"extra":{"kept":1}}}""", obj.ToJsonString());
    }

    [Fact]
    public void RealCatalogDeploymentErrorsMatchUpstream()
    {
        var deployment = TestObjects.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":"3","selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"},"containers":[],"volumes":[]},
                                 "spec":{"containers":[{"name":"web","image":"nginx","env":[{"name":"A","value":1}],"imagePullPolice":"Always",
                                                        "resources":{"limits":{"cpu":"lots"}}}]}}}}
            """);
        var result = Real.Check(deployment, new GroupVersionKind("apps", "v1", "Deployment"));
        Assert.Equal(
            [
                "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
                "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string",
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            ],
            result.DecodeErrors.Select(e => e.Message));
        Assert.Equal(
            "strict decoding error: unknown field \"spec.template.metadata.containers\", unknown field \"spec.template.metadata.volumes\", unknown field \"spec.template.spec.containers[0].imagePullPolice\"",
            result.StrictDecodingMessage);
    }

    [Theory]
    [InlineData("v1", "Pod", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"test-app-pod"},"spec":{"containers":[{"name":"test-app-container","image":"nginx:latest","ports":[{"containerPort":80}]}]}}""")]
    [InlineData("v1", "Service", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"webapp-service"},"spec":{"selector":{"app":"my-webapp"},"ports":[{"protocol":"TCP","port":80,"targetPort":80}]}}""")]
    [InlineData("batch/v1", "CronJob", """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"hello"},"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"hello","image":"busybox:1.28","imagePullPolicy":"IfNotPresent","command":["/bin/sh","-c","date"]}],"restartPolicy":"OnFailure"}}}}}}""")]
    [InlineData("networking.k8s.io/v1", "Ingress", """{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"webapp-ingress"},"spec":{"rules":[{"host":"mywebapp.example.com","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"webapp-service","port":{"number":80}}}}]}}]}}""")]
    [InlineData("v1", "Secret", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db-credentials"},"type":"Opaque","data":{"username":"YWRtaW4=","password":"czNjcmV0LXBhc3M="}}""")]
    [InlineData("v1", "PersistentVolumeClaim", """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"database-pvc"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""")]
    [InlineData("apps/v1", "StatefulSet", """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"serviceName":"database","replicas":1,"selector":{"matchLabels":{"app":"database"}},"template":{"metadata":{"labels":{"app":"database"}},"spec":{"containers":[{"name":"database","image":"redis:latest","args":["--appendonly","yes"],"volumeMounts":[{"name":"database-data","mountPath":"/data"}]}]}},"volumeClaimTemplates":[{"metadata":{"name":"database-data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}""")]
    public void ScenarioManifestsAreClean(string apiVersion, string kind, string json)
    {
        var result = Real.Check(TestObjects.Parse(json), GroupVersionKind.FromApiVersion(apiVersion, kind));
        Assert.Empty(result.DecodeErrors);
        Assert.Empty(result.UnknownFields);
    }

    [Fact]
    public void RealCatalogCanonicalizesContainerQuantities()
    {
        var pod = TestObjects.Parse("""{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":0.5,"memory":"1024Mi"}}}],"overhead":{"cpu":"1000m"}}}""");
        Assert.Equal(3, Real.CanonicalizeQuantities(pod, new GroupVersionKind("", "v1", "Pod")));
        Assert.Equal("""{"cpu":"500m","memory":"1Gi"}""", pod["spec"]!["containers"]![0]!["resources"]!["requests"]!.ToJsonString());
        Assert.Equal("1", (string?)pod["spec"]!["overhead"]!["cpu"]);
    }

    [Theory]
    [InlineData("2026-11-21T21:52:52Z", true)]
    [InlineData("2026-11-21T21:52:52.183153Z", true)]
    [InlineData("2026-11-21T21:52:52.123456789Z", true)]
    [InlineData("2026-11-21T21:52:52.183153+02:00", true)]
    [InlineData("2026-11-21T21:52:52.1234567891Z", false)]
    [InlineData("2026-11-21T21:52:52.Z", false)]
    [InlineData("21 Nov 2026", false)]
    public void Lease_times_accept_fractions_up_to_nanoseconds(string renewTime, bool valid)
    {
        // MicroTime (six digits) and Go's nanosecond times must pass: leader election and node heartbeats write them.
        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = "l", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["holderIdentity"] = "a", ["renewTime"] = renewTime },
        };

        var result = Real.Check(lease, new GroupVersionKind("coordination.k8s.io", "v1", "Lease"));

        Assert.Equal(valid, result.DecodeErrors.Count == 0);
    }
}
