using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Event = Korral.Api.Models.EventsV1.Event;

namespace Korral.Api.Tests.Generated;

public class ModelRoundTripTests
{
    private const string DeploymentJson = """
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "name": "web",
            "namespace": "demo",
            "labels": {"app": "web"},
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "generation": 3,
            "managedFields": [{"manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}}]
          },
          "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {
              "metadata": {"labels": {"app": "web"}},
              "spec": {
                "containers": [{
                  "name": "nginx",
                  "image": "nginx:1.27",
                  "ports": [{"containerPort": 80, "protocol": "TCP"}],
                  "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
                  "readinessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 5}
                }]
              }
            }
          },
          "status": {"replicas": 3, "conditions": [{"type": "Available", "status": "True", "lastUpdateTime": "2024-05-01T10:00:05Z"}]}
        }
        """;

    [Fact]
    public void DeploymentRoundTrips()
    {
        var d = KubeJson.Deserialize<Deployment>(DeploymentJson)!;
        Assert.Equal("web", d.Metadata!.Name);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), d.Metadata.CreationTimestamp);
        Assert.Equal(3, d.Spec!.Replicas);
        var ru = d.Spec.Strategy!.RollingUpdate!;
        Assert.False(ru.MaxSurge!.IsInt);
        Assert.Equal("25%", ru.MaxSurge.StringValue);
        Assert.Equal(3, ru.MaxSurge.GetScaledValue(10, roundUp: true));
        Assert.Equal(IntOrString.FromInt(0), ru.MaxUnavailable);
        var c = d.Spec.Template!.Spec!.Containers![0];
        Assert.Equal(80, c.Ports![0].ContainerPortValue);
        Assert.Equal(100, c.Resources!.Requests!["cpu"].MilliValue());
        Assert.Equal("1Gi", c.Resources.Limits!["memory"].ToString());
        Assert.Equal("http", c.ReadinessProbe!.HttpGet!.Port!.StringValue);
        Assert.NotNull(d.Metadata.ManagedFields![0].FieldsV1!["f:spec"]);

        var back = KubeJson.ToNode(d)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DeploymentJson), back), back.ToJsonString());
    }

    [Fact]
    public void NewKindsCarryTheirTypeAndOmitNulls()
    {
        var cm = new ConfigMap { Metadata = new() { Name = "cfg" }, Data = new Dictionary<string, string> { ["k"] = "v" } };
        Assert.Equal("v1", ConfigMap.KubeApiVersion);
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"k":"v"}}""", KubeJson.Serialize(cm));
        Assert.Equal("apps/v1", new Deployment().ApiVersion);
        Assert.Equal("Deployment", Deployment.KubeKind);
    }

    [Fact]
    public void TimesAreRfc3339AndMicroTimeHasSixDigits()
    {
        var e = new Event
        {
            EventTime = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567),
            DeprecatedLastTimestamp = new DateTimeOffset(2024, 5, 1, 10, 0, 0, 500, TimeSpan.Zero),
        };
        var json = KubeJson.ToNode(e)!;
        Assert.Equal("2024-05-01T10:00:00.123456Z", (string?)json["eventTime"]);
        Assert.Equal("2024-05-01T10:00:00Z", (string?)json["deprecatedLastTimestamp"]);
        var back = KubeJson.FromNode<Event>(json)!;
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), back.EventTime);
    }

    [Fact]
    public void SecretBytesAreBase64()
    {
        var s = KubeJson.Deserialize<Secret>("""{"data":{"password":"czNjcjN0"},"type":"Opaque"}""")!;
        Assert.Equal("s3cr3t"u8.ToArray(), s.Data!["password"]);
        Assert.Contains("\"czNjcjN0\"", KubeJson.Serialize(s));
    }

    [Theory]
    [InlineData("100m", "100m")]
    [InlineData("1000m", "1")]
    [InlineData("0.5", "500m")]
    [InlineData("1.5", "1500m")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("1000", "1k")]
    [InlineData("1500", "1500")]
    [InlineData("1e3", "1e3")]
    [InlineData("512", "512")]
    [InlineData("100Ki", "100Ki")]
    [InlineData("1.5Ki", "1536")]
    [InlineData("0", "0")]
    [InlineData("0Gi", "0")]
    [InlineData("-2", "-2")]
    [InlineData("1n", "1n")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("12E", "12E")]
    public void QuantityCanonicalForm(string input, string canonical)
    {
        Assert.Equal(canonical, Quantity.Parse(input).ToString());
        Assert.Equal(Quantity.Parse(input), Quantity.Parse(canonical));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1Qi")]
    [InlineData("--1")]
    public void QuantityRejectsGarbage(string input) => Assert.False(Quantity.TryParse(input, out _));

    [Fact]
    public void QuantityReadsNumbersAndCompares()
    {
        var limits = KubeJson.Deserialize<Dictionary<string, Quantity>>("""{"cpu": 0.5, "memory": "1Gi"}""")!;
        Assert.Equal("500m", limits["cpu"].ToString());
        Assert.True(Quantity.Parse("1Gi").CompareTo(Quantity.Parse("1000Mi")) > 0);
        Assert.Equal("1500m", Quantity.Parse("1").Add(Quantity.Parse("500m")).ToString());
        Assert.Equal(1, Quantity.Parse("100m").Value());
    }
}
