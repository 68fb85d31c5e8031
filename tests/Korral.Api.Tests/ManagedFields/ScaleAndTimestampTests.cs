using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Korral.Api.Schema;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

public class ScaleAndTimestampTests
{
    private static readonly FieldSetPath Replicas = FieldSetPath.Fields("spec", "replicas");
    private static readonly GroupVersionKind Scale = new("autoscaling", "v1", "Scale");

    private static JsonNode Entries(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void TheScaleShowsTheOwnersOfTheReplicaCount()
    {
        var parent = Entries("""
            [{"manager":"a","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{},"f:selector":{}}}},
             {"manager":"b","operation":"Update","apiVersion":"apps/v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:paused":{}}}},
             {"manager":"c","operation":"Update","apiVersion":"apps/v1beta1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]
            """);
        var scale = ScaleManagedFields.ToSubresource(parent, "apps/v1", Replicas);
        Assert.Equal(
            """[{"manager":"a","operation":"Apply","apiVersion":"autoscaling/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]""",
            Json(scale));
    }

    [Fact]
    public void AScaleWriteHandsTheReplicaCountToTheScaleManager()
    {
        var parent = Entries("""
            [{"manager":"a","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{},"f:selector":{}}}}]
            """);

        // What the server does for PATCH .../deployments/web/scale: build the Scale, record the write on it, map back.
        var fm = NewManager().Manager;
        var oldScale = Parse("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":3}}""");
        oldScale["metadata"]!["managedFields"] = ScaleManagedFields.ToSubresource(parent, "apps/v1", Replicas);
        var newScale = (JsonObject)oldScale.DeepClone();
        newScale["spec"]!["replicas"] = 5;
        fm.RecordUpdate(oldScale, newScale, "kubectl", "Update", "scale", UpdateOf(Scale));
        var result = ScaleManagedFields.ToParent(parent, newScale["metadata"]!["managedFields"], "apps/v1", Replicas);

        var entries = ManagedFieldsCodec.Decode(result);
        Assert.Equal("""{"f:spec":{"f:selector":{}}}""", entries.Single(e => e.Manager == "a").Fields.ToFieldsV1Json());
        var scaler = entries.Single(e => e.Manager == "kubectl");
        Assert.Equal(("Update", "apps/v1", "scale"), (scaler.Operation, scaler.ApiVersion, scaler.Subresource));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", scaler.Fields.ToFieldsV1Json());
    }

    [Fact]
    public void AnApplierThatStillOwnsTheScaleKeepsItsEntry()
    {
        var parent = Entries("""
            [{"manager":"a","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{},"f:selector":{}}}}]
            """);
        var scale = ScaleManagedFields.ToSubresource(parent, "apps/v1", Replicas);
        var result = ScaleManagedFields.ToParent(parent, scale, "apps/v1", Replicas);
        Assert.Equal(Json(parent), Json(result));
    }

    [Fact]
    public void AnUnchangedObjectKeepsItsTimestamps()
    {
        var old = Parse("""
            {"metadata":{"name":"x","managedFields":[{"manager":"a","operation":"Apply","apiVersion":"v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]},"data":{"k":"v"}}
            """);
        var updated = (JsonObject)old.DeepClone();
        updated["metadata"]!["managedFields"]![0]!["time"] = "2026-02-02T00:00:00Z";
        Assert.True(ManagedFieldsTimestamps.RevertIfUnchanged(old, updated));
        Assert.Equal(Json(old), Json(updated));

        var changed = (JsonObject)old.DeepClone();
        changed["metadata"]!["managedFields"]![0]!["time"] = "2026-02-02T00:00:00Z";
        changed["data"]!["k"] = "w";
        Assert.False(ManagedFieldsTimestamps.RevertIfUnchanged(old, changed));
        Assert.Equal("2026-02-02T00:00:00Z", (string)changed["metadata"]!["managedFields"]![0]!["time"]!);
    }

    [Theory]
    [InlineData("kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0", "kubectl")]
    [InlineData("kube-controller-manager/v1.33.1 (linux/amd64) kubernetes/8adc0f0/system:serviceaccount:kube-system:deployment-controller",
        "kube-controller-manager")]
    [InlineData("Go-http-client/1.1", "Go-http-client")]
    [InlineData("curl", "curl")]
    [InlineData("bad\u0001agent/1", "badagent")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void ManagerNamesComeFromTheUserAgent(string? userAgent, string expected)
    {
        Assert.Equal(expected, FieldManagerName.FromUserAgent(userAgent));
        Assert.Equal("explicit", FieldManagerName.Resolve("explicit", userAgent));
    }

    [Fact]
    public void ManagerNamesAreValidatedAsUpstream()
    {
        Assert.Empty(FieldManagerName.Validate("kubectl"));
        Assert.Equal(["Too long: may not be more than 128 bytes"], FieldManagerName.Validate(new string('a', 129)));
        Assert.Equal(["invalid character U+0000 (at position 1)"], FieldManagerName.Validate("a\0"));
        Assert.Equal(128, FieldManagerName.FromUserAgent(new string('b', 300)).Length);
    }
}
