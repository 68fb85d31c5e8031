using System.Text;

namespace Korral.Generator;

/// <summary>Emits GeneratedSchemaCatalog: every definition as TypeSchema/FieldSchema data, one partial file per group-version.</summary>
internal static class SchemaCatalogEmitter
{
    public static void Emit(SortedDictionary<string, Definition> defs, string outRoot, OutputSet output)
    {
        var dir = Path.Combine(outRoot, "Generated", "Schema");
        var groups = defs.Values
            .GroupBy(d => Naming.GroupVersionId(d.Name))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        foreach (var g in groups)
        {
            var sb = new StringBuilder();
            sb.Append(Naming.Header);
            sb.Append("#nullable enable\n\n");
            sb.Append("namespace Korral.Api.Schema;\n\n");
            sb.Append("public sealed partial class GeneratedSchemaCatalog\n{\n");
            sb.Append($"    private static void Add{g.Key}(Dictionary<string, TypeSchema> d)\n    {{\n");
            foreach (var def in g.OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                sb.Append("        T(d, ").Append(Naming.Lit(def.Name)).Append(", [");
                var first = true;
                foreach (var (name, field) in def.Properties)
                {
                    sb.Append(first ? "\n" : ",\n").Append("            (").Append(Naming.Lit(name)).Append(", ").Append(Expr(field)).Append(')');
                    first = false;
                }

                sb.Append(first ? "]" : ",\n        ]");
                if (def.Required.Count > 0)
                {
                    sb.Append(", req: ").Append(StrArray(def.Required));
                }

                if (def.Kinds.Count > 0)
                {
                    sb.Append(", kinds: [").Append(string.Join(", ", def.Kinds.Select(k =>
                        $"new({Naming.Lit(k.Group)}, {Naming.Lit(k.Version)}, {Naming.Lit(k.Kind)})"))).Append(']');
                }

                if (def.PreserveUnknownFields)
                {
                    sb.Append(", pu: true");
                }

                sb.Append(");\n");
            }

            sb.Append("    }\n}\n");
            output.Add(Path.Combine(dir, $"GeneratedSchemaCatalog.{g.Key}.g.cs"), sb.ToString());
        }

        output.Add(Path.Combine(dir, "GeneratedSchemaCatalog.g.cs"), MainFile(groups.Select(g => g.Key).ToList(), defs.Count));
    }

    private static string StrArray(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Naming.Lit)) + "]";

    private static string Expr(FieldDesc f)
    {
        var extras = Extras(f);
        string? shared = (f.Kind, f.Format) switch
        {
            ("String", null) => "S",
            ("Integer", "int32") => "I32",
            ("Integer", "int64") => "I64",
            ("Integer", null) => "Int",
            ("Number", "double") => "Dbl",
            ("Number", null) => "Num",
            ("Boolean", null) => "B",
            ("IntOrString", null) => "IOS",
            ("IntOrString", "int-or-string") => "IOSF",
            ("Quantity", null) => "Q",
            ("Time", null) => "Tm",
            ("MicroTime", null) => "MTm",
            ("Any", null) => "Anything",
            ("Bytes", "byte") => "Byt",
            _ => null,
        };
        if (f.Kind is not ("Object" or "Array" or "Map") && shared != null && extras.Length == 0)
        {
            return shared;
        }

        return f.Kind switch
        {
            "Object" => $"O({Naming.Lit(f.Ref)}{extras})",
            "Array" => $"A({Expr(f.Items!)}{extras})",
            "Map" => $"M({Expr(f.Items!)}{extras})",
            _ => $"F(FieldKind.{f.Kind}{(f.Format != null ? ", f: " + Naming.Lit(f.Format) : "")}{extras})",
        };
    }

    private static string Extras(FieldDesc f)
    {
        var sb = new StringBuilder();
        if (f.PatchMergeKey != null) sb.Append(", mk: ").Append(Naming.Lit(f.PatchMergeKey));
        if (f.PatchStrategy != null) sb.Append(", ps: ").Append(Naming.Lit(f.PatchStrategy));
        if (f.ListType != null) sb.Append(", lt: ").Append(Naming.Lit(f.ListType));
        if (f.ListMapKeys != null) sb.Append(", lk: ").Append(StrArray(f.ListMapKeys));
        if (f.MapType != null) sb.Append(", mt: ").Append(Naming.Lit(f.MapType));
        if (f.Enum != null) sb.Append(", e: ").Append(StrArray(f.Enum));
        return sb.ToString();
    }

    private static string MainFile(IReadOnlyList<string> groupIds, int count)
    {
        var sb = new StringBuilder();
        sb.Append(Naming.Header);
        sb.Append("""
            #nullable enable
            using System.Collections.Frozen;

            namespace Korral.Api.Schema;

            /// <summary>The built-in API schema, generated from the Kubernetes OpenAPI documents. Immutable; built on first use.</summary>
            public sealed partial class GeneratedSchemaCatalog : ISchemaCatalog
            {
                private static readonly Lazy<GeneratedSchemaCatalog> s_instance = new(() => new GeneratedSchemaCatalog());

                private readonly FrozenDictionary<string, TypeSchema> _types;
                private readonly FrozenDictionary<GroupVersionKind, TypeSchema> _byKind;

                private GeneratedSchemaCatalog()
                {

            """);
        sb.Append($"        var d = new Dictionary<string, TypeSchema>({count}, StringComparer.Ordinal);\n");
        foreach (var id in groupIds)
        {
            sb.Append($"        Add{id}(d);\n");
        }

        sb.Append("""
                    _types = d.ToFrozenDictionary(StringComparer.Ordinal);
                    var byKind = new Dictionary<GroupVersionKind, TypeSchema>();
                    foreach (var t in d.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
                    {
                        foreach (var k in t.Kinds)
                        {
                            byKind.TryAdd(k, t);
                        }
                    }

                    _byKind = byKind.ToFrozenDictionary();
                }

                /// <summary>The one shared catalog.</summary>
                public static GeneratedSchemaCatalog Instance => s_instance.Value;

                public IReadOnlyDictionary<string, TypeSchema> Types => _types;

                public TypeSchema? FindByKind(GroupVersionKind kind) => _byKind.GetValueOrDefault(kind);

                public TypeSchema? Find(string name) => _types.GetValueOrDefault(name);

                private static readonly FieldSchema S = new() { Kind = FieldKind.String };
                private static readonly FieldSchema I32 = new() { Kind = FieldKind.Integer, Format = "int32" };
                private static readonly FieldSchema I64 = new() { Kind = FieldKind.Integer, Format = "int64" };
                private static readonly FieldSchema Int = new() { Kind = FieldKind.Integer };
                private static readonly FieldSchema Dbl = new() { Kind = FieldKind.Number, Format = "double" };
                private static readonly FieldSchema Num = new() { Kind = FieldKind.Number };
                private static readonly FieldSchema B = new() { Kind = FieldKind.Boolean };
                private static readonly FieldSchema IOS = new() { Kind = FieldKind.IntOrString };
                private static readonly FieldSchema IOSF = new() { Kind = FieldKind.IntOrString, Format = "int-or-string" };
                private static readonly FieldSchema Q = new() { Kind = FieldKind.Quantity };
                private static readonly FieldSchema Tm = new() { Kind = FieldKind.Time };
                private static readonly FieldSchema MTm = new() { Kind = FieldKind.MicroTime };
                private static readonly FieldSchema Anything = new() { Kind = FieldKind.Any };
                private static readonly FieldSchema Byt = new() { Kind = FieldKind.Bytes, Format = "byte" };

                private static void T(Dictionary<string, TypeSchema> d, string name, (string Name, FieldSchema Field)[] props,
                    string[]? req = null, GroupVersionKind[]? kinds = null, bool pu = false)
                {
                    var p = new Dictionary<string, FieldSchema>(props.Length, StringComparer.Ordinal);
                    foreach (var (n, f) in props)
                    {
                        p.Add(n, f);
                    }

                    d.Add(name, new TypeSchema
                    {
                        Name = name,
                        Properties = p.ToFrozenDictionary(StringComparer.Ordinal),
                        Required = req ?? [],
                        Kinds = kinds ?? [],
                        PreserveUnknownFields = pu,
                    });
                }

                private static FieldSchema F(FieldKind k, string? f = null, string? r = null, FieldSchema? i = null, string? mk = null,
                    string? ps = null, string? lt = null, string[]? lk = null, string? mt = null, string[]? e = null) => new()
                    {
                        Kind = k,
                        Format = f,
                        Ref = r,
                        Items = i,
                        PatchMergeKey = mk,
                        PatchStrategy = ps,
                        ListType = lt,
                        ListMapKeys = lk,
                        MapType = mt,
                        Enum = e,
                    };

                private static FieldSchema O(string r, string? mk = null, string? ps = null, string? lt = null, string[]? lk = null,
                    string? mt = null, string[]? e = null) => F(FieldKind.Object, r: r, mk: mk, ps: ps, lt: lt, lk: lk, mt: mt, e: e);

                private static FieldSchema A(FieldSchema i, string? mk = null, string? ps = null, string? lt = null, string[]? lk = null,
                    string? mt = null, string[]? e = null) => F(FieldKind.Array, i: i, mk: mk, ps: ps, lt: lt, lk: lk, mt: mt, e: e);

                private static FieldSchema M(FieldSchema i, string? mk = null, string? ps = null, string? lt = null, string[]? lk = null,
                    string? mt = null, string[]? e = null) => F(FieldKind.Map, i: i, mk: mk, ps: ps, lt: lt, lk: lk, mt: mt, e: e);
            }

            """);
        return sb.ToString();
    }
}
