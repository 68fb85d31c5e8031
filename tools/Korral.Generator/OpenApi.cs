using System.Text.Json;

namespace Korral.Generator;

/// <summary>One field shape, mirroring Korral.Api.Schema.FieldSchema (kept separate so the tool never depends on generated code).</summary>
internal sealed record FieldDesc
{
    public required string Kind { get; init; }
    public string? Ref { get; init; }
    public FieldDesc? Items { get; init; }
    public string? Format { get; init; }
    public string? PatchMergeKey { get; init; }
    public string? PatchStrategy { get; init; }
    public string? ListType { get; init; }
    public IReadOnlyList<string>? ListMapKeys { get; init; }
    public string? MapType { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }
}

internal sealed record Gvk(string Group, string Version, string Kind)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

internal sealed record Definition
{
    public required string Name { get; init; }
    /// <summary>Properties in ordinal order of their JSON names.</summary>
    public required IReadOnlyList<KeyValuePair<string, FieldDesc>> Properties { get; init; }
    public required IReadOnlyList<string> Required { get; init; }
    public required IReadOnlyList<Gvk> Kinds { get; init; }
    public required bool PreserveUnknownFields { get; init; }
    /// <summary>The field kind a reference to this definition becomes (Object unless it is a special value type).</summary>
    public required string RefKind { get; init; }

    public string ShortName => Name[(Name.LastIndexOf('.') + 1)..];
    public string Package => Name[..Name.LastIndexOf('.')];
}

/// <summary>Reads the OpenAPI v2 document and the v3 documents into one set of definitions (v3 wins).</summary>
internal static class OpenApi
{
    /// <summary>Definitions that are value types with a special wire form, and the field kind they map to.</summary>
    public static readonly IReadOnlyDictionary<string, string> SpecialKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = "IntOrString",
        ["io.k8s.apimachinery.pkg.api.resource.Quantity"] = "Quantity",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.Time"] = "Time",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"] = "MicroTime",
        ["io.k8s.apimachinery.pkg.runtime.RawExtension"] = "Any",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"] = "Any",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = "Any",
        ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON"] = "Any",
        ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray"] = "Any",
        ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool"] = "Any",
        ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray"] = "Any",
    };

    public static SortedDictionary<string, Definition> Load(string schemaDir)
    {
        var raw = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        var v2Path = Path.Combine(schemaDir, "swagger.json");
        using (var v2 = JsonDocument.Parse(File.ReadAllBytes(v2Path)))
        {
            foreach (var p in v2.RootElement.GetProperty("definitions").EnumerateObject())
            {
                raw[p.Name] = p.Value.Clone();
            }
        }

        var v3Dir = Path.Combine(schemaDir, "v3");
        if (Directory.Exists(v3Dir))
        {
            // Sorted file order; the first v3 document that defines a name wins over v2 and over later v3 documents.
            var fromV3 = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(v3Dir, "*.json").OrderBy(f => f, StringComparer.Ordinal))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                if (!doc.RootElement.TryGetProperty("components", out var comps) || !comps.TryGetProperty("schemas", out var schemas))
                {
                    continue;
                }

                foreach (var p in schemas.EnumerateObject())
                {
                    if (fromV3.Add(p.Name))
                    {
                        raw[p.Name] = p.Value.Clone();
                    }
                }
            }
        }

        var typeMapTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, s) in raw)
        {
            if (Str(s, "x-kubernetes-map-type") is { } mt)
            {
                typeMapTypes[name] = mt;
            }
        }

        var result = new SortedDictionary<string, Definition>(StringComparer.Ordinal);
        foreach (var (name, s) in raw)
        {
            var props = new List<KeyValuePair<string, FieldDesc>>();
            if (s.TryGetProperty("properties", out var pe) && pe.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in pe.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    props.Add(new(p.Name, Field(p.Value, typeMapTypes)));
                }
            }

            var kinds = new List<Gvk>();
            if (s.TryGetProperty("x-kubernetes-group-version-kind", out var gvks) && gvks.ValueKind == JsonValueKind.Array)
            {
                foreach (var g in gvks.EnumerateArray())
                {
                    kinds.Add(new Gvk(Str(g, "group") ?? "", Str(g, "version") ?? "", Str(g, "kind") ?? ""));
                }
            }

            var special = SpecialKinds.TryGetValue(name, out var sk) ? sk : null;
            var type = Str(s, "type");
            var freeForm = props.Count == 0 && special == null && type == null && !s.TryGetProperty("oneOf", out _);
            var refKind = special ?? (freeForm ? "Any" : "Object");
            result[name] = new Definition
            {
                Name = name,
                Properties = props,
                Required = Strings(s, "required") ?? [],
                Kinds = kinds,
                PreserveUnknownFields = Bool(s, "x-kubernetes-preserve-unknown-fields") || refKind == "Any",
                RefKind = refKind,
            };
        }

        return result;
    }

    private static FieldDesc Field(JsonElement s, Dictionary<string, string> typeMapTypes)
    {
        var d = FieldCore(s, typeMapTypes);
        return d with
        {
            PatchMergeKey = Str(s, "x-kubernetes-patch-merge-key"),
            PatchStrategy = Str(s, "x-kubernetes-patch-strategy"),
            ListType = Str(s, "x-kubernetes-list-type"),
            ListMapKeys = Strings(s, "x-kubernetes-list-map-keys"),
            MapType = Str(s, "x-kubernetes-map-type") ?? d.MapType,
            Enum = Strings(s, "enum"),
        };
    }

    private static FieldDesc FieldCore(JsonElement s, Dictionary<string, string> typeMapTypes)
    {
        var r = RefOf(s);
        if (r != null)
        {
            if (SpecialKinds.TryGetValue(r, out var special))
            {
                return new FieldDesc { Kind = special };
            }

            // Definitions without any shape (apiextensions JSON and friends) are free-form.
            return new FieldDesc { Kind = "Object", Ref = r, MapType = typeMapTypes.GetValueOrDefault(r) };
        }

        var format = Str(s, "format");
        switch (Str(s, "type"))
        {
            case "array":
                return new FieldDesc
                {
                    Kind = "Array",
                    Items = s.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object
                        ? Field(items, typeMapTypes)
                        : new FieldDesc { Kind = "Any" },
                };
            case "object":
                if (s.TryGetProperty("additionalProperties", out var ap))
                {
                    return new FieldDesc
                    {
                        Kind = "Map",
                        Items = ap.ValueKind == JsonValueKind.Object ? Field(ap, typeMapTypes) : new FieldDesc { Kind = "Any" },
                    };
                }

                return new FieldDesc { Kind = "Any" };
            case "string":
                return format switch
                {
                    "byte" => new FieldDesc { Kind = "Bytes", Format = format },
                    "int-or-string" => new FieldDesc { Kind = "IntOrString", Format = format },
                    _ => new FieldDesc { Kind = "String", Format = format },
                };
            case "integer":
                return new FieldDesc { Kind = "Integer", Format = format };
            case "number":
                return new FieldDesc { Kind = "Number", Format = format };
            case "boolean":
                return new FieldDesc { Kind = "Boolean", Format = format };
            default:
                return Bool(s, "x-kubernetes-int-or-string") ? new FieldDesc { Kind = "IntOrString" } : new FieldDesc { Kind = "Any" };
        }
    }

    /// <summary>"$ref" directly (v2) or the single reference inside "allOf" (v3), as a definition name.</summary>
    private static string? RefOf(JsonElement s)
    {
        string? r = Str(s, "$ref");
        if (r == null && s.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in all.EnumerateArray())
            {
                r ??= Str(a, "$ref");
            }
        }

        return r?[(r.LastIndexOf('/') + 1)..];
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static List<string>? Strings(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var x in v.EnumerateArray())
        {
            list.Add(x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText());
        }

        return list;
    }
}
