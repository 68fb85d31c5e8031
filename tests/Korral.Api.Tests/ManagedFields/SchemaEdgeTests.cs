using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Korral.Api.Schema;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

/// <summary>Objects without a schema, live objects with duplicate keys, and other corners.</summary>
public class SchemaEdgeTests
{
    private static readonly GroupVersionKind Widget = new("example.com", "v1", "Widget");

    [Fact]
    public void WithoutASchemaObjectsAreGranularAndListsAtomic()
    {
        var (fm, _) = NewManager();
        var obj = Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1,"tags":["a","b"],"nested":{"x":1}}}""");
        Assert.Equal("""{"f:apiVersion":{},"f:kind":{},"f:metadata":{".":{},"f:name":{}},"f:spec":{".":{},"f:nested":{".":{},"f:x":{}},"f:size":{},"f:tags":{}}}""",
            fm.FieldsOf(obj, Widget).ToFieldsV1Json());

        var live = fm.Apply(null, obj, "a", false, ApplyTo(Widget));
        var next = Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":2,"tags":["c"]}}""");
        var result = fm.Apply(live, next, "a", false, ApplyTo(Widget));
        Assert.Equal("""{"size":2,"tags":["c"]}""", Json(result["spec"]));
    }

    [Fact]
    public void LiveDuplicatesAreToleratedAndOwnedAsAWhole()
    {
        var (fm, _) = NewManager();
        var pod = Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"},{"name":"X","value":"2"}]}]}}""");
        fm.RecordUpdate(null, pod, "creator", "Update", null, UpdateOf(Pod));
        var fields = FieldsOf(pod, "creator");
        Assert.Contains("\"f:env\":{\".\":{},\"k:{\\\"name\\\":\\\"X\\\"}\":{}}", fields);

        var changed = (JsonObject)pod.DeepClone();
        changed["spec"]!["containers"]![0]!["env"]![1]!["value"] = "3";
        fm.RecordUpdate(pod, changed, "editor", "Update", null, UpdateOf(Pod));
        Assert.Contains("k:{\\\"name\\\":\\\"X\\\"}", FieldsOf(changed, "editor"));

        // An apply that sets the duplicated key replaces every copy of it.
        var config = Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"9"}]}]}}""");
        var applied = fm.Apply(changed, config, "a", true, ApplyTo(Pod));
        Assert.Equal("""[{"name":"X","value":"9"}]""", Json(applied["spec"]!["containers"]![0]!["env"]));
    }

    [Fact]
    public void ExplicitNullsAreOwnedAndDroppedFromTheObject()
    {
        var (fm, _) = NewManager();
        var live = fm.Apply(null, WebDeployment(replicas: 2), "a", false, ApplyTo(Deployment));
        var config = WebDeployment();
        Spec(config)["replicas"] = null;
        var e = Assert.Throws<FieldConflictException>(() => fm.Apply(live, config, "b", false, ApplyTo(Deployment)));
        Assert.Contains(".spec.replicas", e.Message);
        var result = fm.Apply(live, config, "b", true, ApplyTo(Deployment));
        Assert.False(Spec(result).ContainsKey("replicas"));
        Assert.True(Entry(result, "b").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
    }

    [Fact]
    public void PortsWithoutAProtocolAreKeyedAsTcp()
    {
        var (fm, _) = NewManager();
        var live = fm.Apply(null, WebDeployment(), "a", false, ApplyTo(Deployment));
        var withProtocol = WebDeployment();
        Containers(withProtocol)[0]!["ports"]![0]!["protocol"] = "TCP";
        var result = fm.Apply(live, withProtocol, "a", false, ApplyTo(Deployment));
        Assert.Single(Containers(result)[0]!["ports"]!.AsArray());
        Assert.Equal("TCP", (string)Containers(result)[0]!["ports"]![0]!["protocol"]!);
    }
}
