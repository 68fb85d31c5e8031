using System.Text;
using System.Text.RegularExpressions;

namespace Korral.Generator;

internal sealed record ProtoFieldDef(int Number, string Name, string Label, string Type, string? MapKey, string? MapValue);

internal sealed record ProtoMessageDef(string Package, string Name, IReadOnlyList<ProtoFieldDef> Fields)
{
    public string FullName => Package + "." + Name;
}

/// <summary>A small parser for the go-to-protobuf generated.proto files: packages, flat messages, scalar/message/map fields.</summary>
internal static partial class ProtoParser
{
    public static List<ProtoMessageDef> ParseDirectory(string dir)
    {
        var all = new List<ProtoMessageDef>();
        foreach (var file in Directory.GetFiles(dir, "*.proto").OrderBy(f => f, StringComparer.Ordinal))
        {
            all.AddRange(Parse(File.ReadAllText(file), file));
        }

        return all;
    }

    public static List<ProtoMessageDef> Parse(string text, string fileName)
    {
        text = BlockComment().Replace(text, " ");
        text = LineComment().Replace(text, "");
        var pkg = PackageLine().Match(text);
        if (!pkg.Success)
        {
            throw new InvalidDataException($"{fileName}: no package line");
        }

        var package = pkg.Groups[1].Value;
        var result = new List<ProtoMessageDef>();
        foreach (Match m in MessageBlock().Matches(text))
        {
            var fields = new List<ProtoFieldDef>();
            foreach (var rawLine in m.Groups[2].Value.Split(';'))
            {
                var line = rawLine.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                var mm = MapField().Match(line);
                if (mm.Success)
                {
                    fields.Add(new ProtoFieldDef(int.Parse(mm.Groups[4].Value), mm.Groups[3].Value, "map", "map", mm.Groups[1].Value, mm.Groups[2].Value));
                    continue;
                }

                var fm = PlainField().Match(line);
                if (!fm.Success)
                {
                    throw new InvalidDataException($"{fileName}: message {m.Groups[1].Value}: cannot parse '{line}'");
                }

                fields.Add(new ProtoFieldDef(int.Parse(fm.Groups[4].Value), fm.Groups[3].Value, fm.Groups[1].Value, fm.Groups[2].Value, null, null));
            }

            result.Add(new ProtoMessageDef(package, m.Groups[1].Value, fields));
        }

        return result;
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"^\s*package\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^\s*message\s+(\w+)\s*\{(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex MessageBlock();

    [GeneratedRegex(@"^map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)$")]
    private static partial Regex MapField();

    [GeneratedRegex(@"^(optional|repeated|required)?\s*([\w.]+)\s+(\w+)\s*=\s*(\d+)(\s*\[.*\])?$")]
    private static partial Regex PlainField();
}

/// <summary>Emits ProtoCatalog: every proto message with its fields, JSON names, inlined embeddings and presence hints.</summary>
internal static class ProtoCatalogEmitter
{
    private static readonly HashSet<string> Scalars =
        ["double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes"];

    /// <summary>Messages with their own JSON form.</summary>
    private static readonly Dictionary<string, string> Specials = new(StringComparer.Ordinal)
    {
        ["k8s.io.apimachinery.pkg.apis.meta.v1.Time"] = "Time",
        ["k8s.io.apimachinery.pkg.apis.meta.v1.Timestamp"] = "Time",
        ["k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"] = "MicroTime",
        ["k8s.io.apimachinery.pkg.apis.meta.v1.Duration"] = "Duration",
        ["k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1"] = "FieldsV1",
        ["k8s.io.apimachinery.pkg.apis.meta.v1.Verbs"] = "StringList",
        ["k8s.io.api.authentication.v1.ExtraValue"] = "StringList",
        ["k8s.io.apimachinery.pkg.api.resource.Quantity"] = "Quantity",
        ["k8s.io.apimachinery.pkg.api.resource.QuantityValue"] = "Quantity",
        ["k8s.io.apimachinery.pkg.util.intstr.IntOrString"] = "IntOrString",
        ["k8s.io.apimachinery.pkg.runtime.RawExtension"] = "RawExtension",
    };

    public static void Emit(List<ProtoMessageDef> messages, SortedDictionary<string, Definition> defs, string outRoot, OutputSet output)
    {
        var byName = messages.ToDictionary(m => m.FullName, StringComparer.Ordinal);
        var keepZero = new HashSet<string>(ProtoPresence.PointerFields, StringComparer.Ordinal);
        var usedKeepZero = new HashSet<string>(StringComparer.Ordinal);

        string Resolve(ProtoMessageDef owner, string type)
        {
            if (Scalars.Contains(type))
            {
                return type;
            }

            var full = type.StartsWith('.') ? type[1..] : owner.Package + "." + type;
            return full;
        }

        var sb = new StringBuilder();
        sb.Append(Naming.Header);
        sb.Append("""
            #nullable enable

            namespace Korral.Api.Protobuf;

            public static partial class ProtoCatalog
            {
                private static void AddAll(Dictionary<string, ProtoMessage> d)
                {

            """);
        var inlined = new List<string>();
        foreach (var m in messages.OrderBy(m => m.FullName, StringComparer.Ordinal))
        {
            var openApi = defs.GetValueOrDefault(OpenApiName(m.FullName));
            var props = openApi?.Properties.Select(p => p.Key).ToList() ?? [];
            var special = Specials.GetValueOrDefault(m.FullName, "None");
            sb.Append("        Add(d, ").Append(Naming.Lit(m.FullName)).Append(", ProtoSpecial.").Append(special).Append(", [");
            var first = true;
            foreach (var f in m.Fields.OrderBy(f => f.Number))
            {
                var jsonName = props.FirstOrDefault(p => p == f.Name) ?? props.FirstOrDefault(p => string.Equals(p, f.Name, StringComparison.OrdinalIgnoreCase)) ?? f.Name;
                string expr;
                var extras = new StringBuilder();
                if (jsonName != f.Name)
                {
                    extras.Append(", json: ").Append(Naming.Lit(jsonName));
                }

                var key = m.FullName + "." + f.Name;
                var required = openApi?.Required.Contains(jsonName, StringComparer.Ordinal) == true;
                if (keepZero.Contains(key) || (required && f.Label != "repeated" && f.Label != "map"))
                {
                    // Go pointers (ProtoPresence) and fields the schema marks required (no omitempty: Go's JSON writes their zero).
                    extras.Append(", keepZero: true");
                    usedKeepZero.Add(key);
                }

                if (f.Label == "map")
                {
                    var value = Resolve(m, f.MapValue!);
                    expr = Scalars.Contains(value)
                        ? $"Map({f.Number}, {Naming.Lit(f.Name)}, ProtoType.{Pascal(f.MapKey!)}, ProtoType.{Pascal(value)}{extras})"
                        : $"Map({f.Number}, {Naming.Lit(f.Name)}, ProtoType.{Pascal(f.MapKey!)}, ProtoType.Message, {Naming.Lit(Check(byName, value, m))}{extras})";
                }
                else
                {
                    var type = Resolve(m, f.Type);
                    if (f.Label == "repeated")
                    {
                        extras.Append(", repeated: true");
                    }
                    else if (!Scalars.Contains(type) && openApi != null && !props.Contains(jsonName, StringComparer.Ordinal) &&
                             byName.TryGetValue(type, out var child) &&
                             child.Fields.Any(cf => props.Contains(cf.Name, StringComparer.Ordinal) && m.Fields.All(pf => pf.Name != cf.Name)))
                    {
                        // A Go embedded struct (json:",inline"): its fields appear directly in the parent's JSON.
                        extras.Append(", inline: true");
                        inlined.Add(key);
                    }

                    expr = Scalars.Contains(type)
                        ? $"F({f.Number}, {Naming.Lit(f.Name)}, ProtoType.{Pascal(type)}{extras})"
                        : $"F({f.Number}, {Naming.Lit(f.Name)}, ProtoType.Message, {Naming.Lit(Check(byName, type, m))}{extras})";
                }

                sb.Append(first ? "\n" : ",\n").Append("            ").Append(expr);
                first = false;
            }

            sb.Append(first ? "]);\n" : ",\n        ]);\n");
        }

        sb.Append("    }\n}\n");

        var unused = keepZero.Except(usedKeepZero).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
        {
            throw new InvalidDataException("ProtoPresence lists fields that the .proto files do not have: " + string.Join(", ", unused));
        }

        Console.WriteLine($"proto: {messages.Count} messages; inlined embeddings: {string.Join(", ", inlined)}");
        output.Add(Path.Combine(outRoot, "Generated", "Protobuf", "ProtoCatalog.g.cs"), sb.ToString());
    }

    private static string Check(Dictionary<string, ProtoMessageDef> byName, string type, ProtoMessageDef owner) =>
        byName.ContainsKey(type) || type == "k8s.io.apimachinery.pkg.runtime.schema.GroupVersionKind"
            ? type
            : throw new InvalidDataException($"{owner.FullName}: unknown message type {type}");

    private static string Pascal(string scalar) => char.ToUpperInvariant(scalar[0]) + scalar[1..];

    /// <summary>k8s.io.api.core.v1.Pod → io.k8s.api.core.v1.Pod; k8s.io.apimachinery.… → io.k8s.apimachinery.….</summary>
    private static string OpenApiName(string protoName) =>
        protoName.StartsWith("k8s.io.", StringComparison.Ordinal) ? "io.k8s." + protoName["k8s.io.".Length..] : protoName;
}
