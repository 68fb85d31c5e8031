using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

public class FieldSetTests
{
    private static FieldSetPath P(params string[] names) => FieldSetPath.Fields(names);

    private static FieldSet Set(params FieldSetPath[] paths) => FieldSet.FromPaths(paths);

    private static readonly PathElement Nginx = PathElement.ForKey(("name", JsonValue.Create("nginx")));
    private static readonly PathElement Port80 = PathElement.ForKey(("protocol", JsonValue.Create("TCP")), ("containerPort", JsonValue.Create(80)));

    [Fact]
    public void PathElementsSerializeAsFieldsV1Keys()
    {
        Assert.Equal("f:spec", PathElement.Field("spec").Serialize());
        Assert.Equal("k:{\"name\":\"nginx\"}", Nginx.Serialize());
        Assert.Equal("k:{\"containerPort\":80,\"protocol\":\"TCP\"}", Port80.Serialize());
        Assert.Equal("v:\"example.com/f\"", PathElement.ForValue(FieldValue.Of("example.com/f")).Serialize());
        Assert.Equal("i:3", PathElement.ForIndex(3).Serialize());
        Assert.Equal("k:{\"name\":\"\\u003cx\\u003e\"}", PathElement.ForKey(("name", JsonValue.Create("<x>"))).Serialize());
    }

    [Theory]
    [InlineData("f:spec")]
    [InlineData("k:{\"name\":\"nginx\"}")]
    [InlineData("k:{\"containerPort\":80,\"protocol\":\"TCP\"}")]
    [InlineData("v:\"a\"")]
    [InlineData("v:42")]
    [InlineData("i:0")]
    public void PathElementsRoundTrip(string key) => Assert.Equal(key, PathElement.Parse(key).Serialize());

    [Fact]
    public void KeysParseInAnyFieldOrderAndNumbersByValue()
    {
        Assert.Equal(Port80, PathElement.Parse("k:{\"protocol\":\"TCP\",\"containerPort\":80}"));
        Assert.Equal(PathElement.Parse("v:1"), PathElement.Parse("v:1.0"));
    }

    [Theory]
    [InlineData("x:y")]
    [InlineData("f")]
    [InlineData("k:[1]")]
    [InlineData("k:{}")]
    [InlineData("i:one")]
    public void MalformedKeysAreRefused(string key) => Assert.Throws<FormatException>(() => PathElement.Parse(key));

    [Fact]
    public void PathsPrintAsUpstream()
    {
        var path = new FieldSetPath(PathElement.Field("spec"), PathElement.Field("containers"), Nginx, PathElement.Field("ports"), Port80);
        Assert.Equal(".spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]", path.ToString());
        Assert.Equal(".metadata.finalizers[=\"a\"]", new FieldSetPath(PathElement.Field("metadata"), PathElement.Field("finalizers"),
            PathElement.ForValue(FieldValue.Of("a"))).ToString());
    }

    [Fact]
    public void ElementsSortFieldsThenKeysThenValuesThenIndexes()
    {
        var elements = new[]
        {
            PathElement.ForIndex(0), PathElement.ForValue(FieldValue.Of("b")), PathElement.ForValue(FieldValue.Of(2)),
            Nginx, PathElement.Field("b"), PathElement.Field("a"), PathElement.ForKey(("name", JsonValue.Create("a"))),
        };
        Array.Sort(elements);
        Assert.Equal(["f:a", "f:b", "k:{\"name\":\"a\"}", "k:{\"name\":\"nginx\"}", "v:2", "v:\"b\"", "i:0"],
            elements.Select(e => e.Serialize()));
    }

    public static TheoryData<string, string, string, string> Operations => new()
    {
        // operation, left (FieldsV1), right (FieldsV1), expected (FieldsV1)
        { "union", """{"f:a":{},"f:b":{"f:c":{}}}""", """{"f:b":{"f:d":{}},"f:e":{}}""", """{"f:a":{},"f:b":{"f:c":{},"f:d":{}},"f:e":{}}""" },
        { "union", """{"f:b":{"f:c":{}}}""", """{"f:b":{}}""", """{"f:b":{".":{},"f:c":{}}}""" },
        { "difference", """{"f:a":{},"f:b":{"f:c":{},"f:d":{}}}""", """{"f:b":{"f:c":{}}}""", """{"f:a":{},"f:b":{"f:d":{}}}""" },
        { "difference", """{"f:b":{".":{},"f:c":{}}}""", """{"f:b":{}}""", """{"f:b":{"f:c":{}}}""" },
        { "difference", """{"f:a":{}}""", """{"f:a":{}}""", """{}""" },
        { "recursive", """{"f:spec":{"f:x":{}},"f:status":{"f:y":{"f:z":{}}}}""", """{"f:status":{}}""", """{"f:spec":{"f:x":{}}}""" },
        { "recursive", """{"f:b":{".":{},"f:c":{}}}""", """{"f:b":{"f:c":{}}}""", """{"f:b":{}}""" },
        { "intersection", """{"f:a":{},"f:b":{"f:c":{},"f:d":{}}}""", """{"f:b":{"f:d":{},"f:e":{}},"f:f":{}}""", """{"f:b":{"f:d":{}}}""" },
        { "intersection", """{"f:b":{".":{},"f:c":{}}}""", """{"f:b":{}}""", """{"f:b":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void SetOperations(string operation, string left, string right, string expected)
    {
        var l = FieldSet.FromFieldsV1Json(left);
        var r = FieldSet.FromFieldsV1Json(right);
        var result = operation switch
        {
            "union" => l.Union(r),
            "difference" => l.Difference(r),
            "recursive" => l.RecursiveDifference(r),
            _ => l.Intersection(r),
        };
        Assert.Equal(expected, result.ToFieldsV1Json());
    }

    [Fact]
    public void FieldsV1IsWrittenInUpstreamOrderWhateverTheInputOrder()
    {
        const string unordered = """{"f:spec":{"f:template":{},".":{},"f:replicas":{}},"f:metadata":{"f:labels":{"f:b":{},"f:a":{}}}}""";
        var set = FieldSet.FromFieldsV1Json(unordered);
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:a":{},"f:b":{}}},"f:spec":{".":{},"f:replicas":{},"f:template":{}}}""",
            set.ToFieldsV1Json());
        Assert.Equal(set.ToFieldsV1Json(), Json(set.ToFieldsV1()));
        Assert.Equal(set, FieldSet.FromFieldsV1(set.ToFieldsV1()));
    }

    [Fact]
    public void MembershipAndIteration()
    {
        var set = Set(P("spec", "replicas"), P("spec"), P("metadata", "labels", "app"),
            new FieldSetPath(PathElement.Field("spec"), PathElement.Field("containers"), Nginx));
        Assert.True(set.Has(P("spec")));
        Assert.True(set.Has(P("spec", "replicas")));
        Assert.False(set.Has(P("metadata")));
        Assert.False(set.Has(P("metadata", "labels")));
        Assert.Equal(4, set.Count);
        Assert.Equal([".spec", ".metadata.labels.app", ".spec.replicas", ".spec.containers[name=\"nginx\"]"],
            set.Paths.Select(p => p.ToString()));
        Assert.Equal("""{"f:replicas":{}}""", Set(P("spec", "replicas")).WithPrefix(PathElement.Field("spec")).ToFieldsV1Json());
    }

    [Fact]
    public void BigListsStaySortedAndLinear()
    {
        var paths = Enumerable.Range(0, 2000).Reverse()
            .Select(i => new FieldSetPath(PathElement.Field("items"), PathElement.ForKey(("name", JsonValue.Create($"n{i:D4}")))))
            .ToArray();
        var all = FieldSet.FromPaths(paths);
        var half = FieldSet.FromPaths(paths.Where((_, i) => i % 2 == 0));
        Assert.Equal(2000, all.Count);
        Assert.Equal(1000, all.Difference(half).Count);
        Assert.Equal(1000, all.Intersection(half).Count);
        Assert.StartsWith("""{"f:items":{"k:{\"name\":\"n0000\"}":{}""", all.ToFieldsV1Json());
        Assert.True(all.Has(paths[1234]));
    }

    [Fact]
    public void MalformedFieldsV1IsRefused()
    {
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1Json("""{"f:a":1}"""));
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1Json("""{"z:a":{}}"""));
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1Json("[]"));
        Assert.Equal(FieldSet.Empty, FieldSet.FromFieldsV1(null));
        _ = Parse("{}");
    }
}
