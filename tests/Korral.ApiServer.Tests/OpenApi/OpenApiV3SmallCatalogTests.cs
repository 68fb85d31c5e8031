using System.Text.Json;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.ApiServer.OpenApi;

namespace Korral.ApiServer.Tests.OpenApi;

/// <summary>Edge cases of document generation, on a tiny hand-made schema catalog.</summary>
public sealed class OpenApiV3SmallCatalogTests
{
    private static readonly GroupVersionKind WidgetKind = new("example.korral.io", "v1", "Widget");

    private static readonly ResourceInfo Widgets = new()
    {
        Group = "example.korral.io",
        Version = "v1",
        Plural = "widgets",
        Singular = "widget",
        Kind = "Widget",
        Namespaced = false,
        SchemaName = "io.korral.example.v1.Widget",
        Subresources = [new SubresourceInfo("status", WidgetKind, ["get", "patch", "update"])],
    };

    private static readonly FieldSchema Str = new() { Kind = FieldKind.String };

    private static readonly SmallCatalog Catalog = new(
    [
        new TypeSchema
        {
            Name = "io.korral.example.v1.Widget",
            Kinds = [WidgetKind],
            Required = ["spec"],
            Properties = new Dictionary<string, FieldSchema>
            {
                ["kind"] = Str,
                ["spec"] = new() { Kind = FieldKind.Object, Ref = "io.korral.example.v1.WidgetSpec" },
                ["extra"] = new() { Kind = FieldKind.Object, Ref = "io.korral.example.v1.Missing" },
            },
        },
        new TypeSchema
        {
            Name = "io.korral.example.v1.WidgetSpec",
            Properties = new Dictionary<string, FieldSchema>
            {
                ["size"] = new() { Kind = FieldKind.Quantity },
                ["port"] = new() { Kind = FieldKind.IntOrString },
                ["mode"] = new() { Kind = FieldKind.String, Enum = ["Fast", "Slow"] },
                ["blob"] = new() { Kind = FieldKind.Bytes },
                ["ratio"] = new() { Kind = FieldKind.Number },
                ["raw"] = new() { Kind = FieldKind.Any },
                ["tags"] = new() { Kind = FieldKind.Array, Items = Str, ListType = "set" },
                ["owner"] = new() { Kind = FieldKind.Object, Ref = "io.korral.example.v1.Ref", MapType = "atomic" },
                ["other"] = new() { Kind = FieldKind.Object, Ref = "io.korral.example.v1.Ref", MapType = "atomic" },
                ["loose"] = new() { Kind = FieldKind.Object, Ref = "io.korral.example.v1.Ref", MapType = "granular" },
                ["selector"] = new() { Kind = FieldKind.Map, Items = Str, MapType = "atomic" },
            },
        },
        new TypeSchema
        {
            Name = "io.korral.example.v1.Ref",
            Properties = new Dictionary<string, FieldSchema> { ["name"] = Str },
        },
    ]);

    private static JsonElement Document()
    {
        var documents = new OpenApiV3Documents(new ResourceCatalog([Widgets]), Catalog);
        Assert.Equal(["apis/example.korral.io/v1"], documents.Paths);
        return JsonDocument.Parse(documents.Find("example.korral.io", "v1")!.Body).RootElement;
    }

    private static JsonElement Schemas => Document().GetProperty("components").GetProperty("schemas");

    [Fact]
    public void A_missing_list_schema_is_synthesised_from_the_item_schema()
    {
        var list = Schemas.GetProperty("io.korral.example.v1.WidgetList");

        Assert.Equal("""[{"group":"example.korral.io","kind":"WidgetList","version":"v1"}]""", list.GetProperty("x-kubernetes-group-version-kind").GetRawText());
        Assert.Equal(
            "#/components/schemas/io.korral.example.v1.Widget",
            list.GetProperty("properties").GetProperty("items").GetProperty("items").GetProperty("allOf")[0].GetProperty("$ref").GetString());
        Assert.Equal(["items"], list.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Unknown_definitions_become_permissive_placeholders()
    {
        Assert.Equal(
            """{"type":"object","x-kubernetes-preserve-unknown-fields":true}""",
            Schemas.GetProperty("io.korral.example.v1.Missing").GetRawText());

        // Meta definitions the tiny catalog lacks are referenced by operations, so they get placeholders too.
        Assert.True(Schemas.TryGetProperty("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", out _));
        Assert.True(Schemas.TryGetProperty("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", out _));
    }

    [Fact]
    public void Field_kinds_are_written_in_openapi_form()
    {
        var spec = Schemas.GetProperty("io.korral.example.v1.WidgetSpec").GetProperty("properties");

        Assert.Equal("""{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"}]}""", spec.GetProperty("size").GetRawText());
        Assert.Equal("""{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}]}""", spec.GetProperty("port").GetRawText());
        Assert.Equal("""{"type":"string","enum":["Fast","Slow"]}""", spec.GetProperty("mode").GetRawText());
        Assert.Equal("""{"format":"byte","type":"string"}""", spec.GetProperty("blob").GetRawText());
        Assert.Equal("""{"format":"double","type":"number"}""", spec.GetProperty("ratio").GetRawText());
        Assert.Equal("""{"x-kubernetes-preserve-unknown-fields":true}""", spec.GetProperty("raw").GetRawText());
        Assert.Equal("""{"items":{"type":"string"},"type":"array","x-kubernetes-list-type":"set"}""", spec.GetProperty("tags").GetRawText());
        Assert.Equal("""{"additionalProperties":{"type":"string"},"type":"object","x-kubernetes-map-type":"atomic"}""", spec.GetProperty("selector").GetRawText());
        Assert.True(Schemas.TryGetProperty("io.k8s.apimachinery.pkg.api.resource.Quantity", out _));
        Assert.True(Schemas.TryGetProperty("io.k8s.apimachinery.pkg.util.intstr.IntOrString", out _));
    }

    [Fact]
    public void Map_types_move_to_the_definition_except_where_a_field_overrides_them()
    {
        var spec = Schemas.GetProperty("io.korral.example.v1.WidgetSpec").GetProperty("properties");

        Assert.Equal("atomic", Schemas.GetProperty("io.korral.example.v1.Ref").GetProperty("x-kubernetes-map-type").GetString());
        Assert.False(spec.GetProperty("owner").TryGetProperty("x-kubernetes-map-type", out _));
        Assert.Equal("granular", spec.GetProperty("loose").GetProperty("x-kubernetes-map-type").GetString());
    }

    [Fact]
    public void Cluster_scoped_resources_have_no_namespace_and_no_all_namespaces_list()
    {
        var paths = Document().GetProperty("paths");

        Assert.Equal(
            [
                "/apis/example.korral.io/v1/widgets",
                "/apis/example.korral.io/v1/widgets/{name}",
                "/apis/example.korral.io/v1/widgets/{name}/status",
            ],
            paths.EnumerateObject().Select(p => p.Name));
        Assert.Equal("readExampleKorralIoV1WidgetStatus",
            paths.GetProperty("/apis/example.korral.io/v1/widgets/{name}/status").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("exampleKorralIo_v1",
            paths.GetProperty("/apis/example.korral.io/v1/widgets").GetProperty("get").GetProperty("tags")[0].GetString());
    }

    private sealed class SmallCatalog(IEnumerable<TypeSchema> types) : ISchemaCatalog
    {
        public IReadOnlyDictionary<string, TypeSchema> Types { get; } = types.ToDictionary(t => t.Name);

        public TypeSchema? FindByKind(GroupVersionKind kind) => Types.Values.FirstOrDefault(t => t.Kinds.Contains(kind));

        public TypeSchema? Find(string name) => Types.GetValueOrDefault(name);
    }
}
