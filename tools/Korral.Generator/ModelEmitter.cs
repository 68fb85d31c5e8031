using System.Text;

namespace Korral.Generator;

/// <summary>
/// Emits typed C# models (System.Text.Json) for the definitions of the groups components use:
/// Generated/Models/&lt;Folder&gt;/&lt;Type&gt;.g.cs, namespace Korral.Api.Models.&lt;Folder&gt;.
/// </summary>
internal static class ModelEmitter
{
    /// <summary>Group-version ids (see <see cref="Naming.GroupVersionId"/>) that get models, and their folder/namespace name.</summary>
    private static readonly Dictionary<string, string> Folders = new(StringComparer.Ordinal)
    {
        ["CoreV1"] = "CoreV1",
        ["AppsV1"] = "AppsV1",
        ["BatchV1"] = "BatchV1",
        ["NetworkingV1"] = "NetworkingV1",
        ["DiscoveryV1"] = "DiscoveryV1",
        ["CoordinationV1"] = "CoordinationV1",
        ["StorageV1"] = "StorageV1",
        ["SchedulingV1"] = "SchedulingV1",
        ["PolicyV1"] = "PolicyV1",
        ["AutoscalingV1"] = "AutoscalingV1",
        ["AutoscalingV2"] = "AutoscalingV2",
        ["EventsV1"] = "EventsV1",
        ["RbacV1"] = "RbacV1",
        ["AuthenticationV1"] = "AuthenticationV1",
        ["AuthorizationV1"] = "AuthorizationV1",
        ["ApiextensionsV1"] = "ApiextensionsV1",
        ["MetaV1"] = "MetaV1",
        // A namespace called "Version" would shadow System.Version for code under Korral.Api.Models.
        ["Version"] = "VersionInfo",
    };

    public static void Emit(SortedDictionary<string, Definition> defs, string outRoot, OutputSet output)
    {
        var modelDefs = defs.Values
            .Where(d => d.RefKind == "Object" && Folders.ContainsKey(Naming.GroupVersionId(d.Name)))
            .ToDictionary(d => d.Name, StringComparer.Ordinal);

        foreach (var def in modelDefs.Values)
        {
            var folder = Folders[Naming.GroupVersionId(def.Name)];
            var className = Naming.Pascal(def.ShortName);
            output.Add(Path.Combine(outRoot, "Generated", "Models", folder, className + ".g.cs"), Class(def, folder, className, modelDefs));
        }

        Console.WriteLine($"models: {modelDefs.Count} classes");
    }

    private static string Class(Definition def, string folder, string className, Dictionary<string, Definition> modelDefs)
    {
        var sb = new StringBuilder();
        sb.Append(Naming.Header);
        sb.Append("#nullable enable\n");
        sb.Append("using System.Text.Json.Nodes;\n");
        sb.Append("using System.Text.Json.Serialization;\n\n");
        var usingsEnd = sb.Length;
        sb.Append("namespace Korral.Api.Models.").Append(folder).Append(";\n\n");
        sb.Append("/// <summary>").Append(def.Name).Append(".</summary>\n");
        sb.Append("public sealed partial class ").Append(className).Append("\n{\n");

        var kind = def.Kinds.Count == 1 ? def.Kinds[0] : null;
        if (kind != null)
        {
            sb.Append("    public const string KubeApiVersion = ").Append(Naming.Lit(kind.ApiVersion)).Append(";\n");
            sb.Append("    public const string KubeKind = ").Append(Naming.Lit(kind.Kind)).Append(";\n\n");
        }

        var used = new HashSet<string>(StringComparer.Ordinal) { className, "KubeApiVersion", "KubeKind" };
        var first = true;
        foreach (var (jsonName, field) in Ordered(def.Properties))
        {
            var name = Naming.Pascal(jsonName);
            if (name == className)
            {
                name += "Value";
            }

            while (!used.Add(name))
            {
                name += "_";
            }

            if (!first)
            {
                sb.Append('\n');
            }

            first = false;
            sb.Append("    [JsonPropertyName(").Append(Naming.Lit(jsonName)).Append(")]\n");
            if (field.Kind == "Time")
            {
                sb.Append("    [JsonConverter(typeof(KubeTimeConverter))]\n");
            }
            else if (field.Kind == "MicroTime")
            {
                sb.Append("    [JsonConverter(typeof(KubeMicroTimeConverter))]\n");
            }

            sb.Append("    public ").Append(TypeOf(field, folder, modelDefs)).Append("? ").Append(name).Append(" { get; set; }");
            if (kind != null && jsonName == "apiVersion" && field.Kind == "String")
            {
                sb.Append(" = KubeApiVersion;");
            }
            else if (kind != null && jsonName == "kind" && field.Kind == "String")
            {
                sb.Append(" = KubeKind;");
            }

            sb.Append('\n');
        }

        sb.Append("}\n");
        var text = sb.ToString();
        return text.IndexOf("JsonNode", usingsEnd, StringComparison.Ordinal) >= 0 ? text : text.Replace("using System.Text.Json.Nodes;\n", "");
    }

    /// <summary>apiVersion, kind, metadata first (as Kubernetes writes objects), then the rest by name.</summary>
    private static IEnumerable<KeyValuePair<string, FieldDesc>> Ordered(IReadOnlyList<KeyValuePair<string, FieldDesc>> props)
    {
        string[] head = ["apiVersion", "kind", "metadata"];
        return props.OrderBy(p => Array.IndexOf(head, p.Key) is var i && i >= 0 ? i : head.Length).ThenBy(p => p.Key, StringComparer.Ordinal);
    }

    /// <summary>The C# type of a field, without the outer nullable mark.</summary>
    private static string TypeOf(FieldDesc f, string folder, Dictionary<string, Definition> modelDefs) => f.Kind switch
    {
        "String" => "string",
        "Integer" => f.Format == "int32" ? "int" : "long",
        "Number" => "double",
        "Boolean" => "bool",
        "IntOrString" => "IntOrString",
        "Quantity" => "Quantity",
        "Time" or "MicroTime" => "DateTimeOffset",
        "Bytes" => "byte[]",
        "Any" => "JsonNode",
        "Array" => $"IList<{TypeOf(f.Items!, folder, modelDefs)}>",
        "Map" => $"IDictionary<string, {TypeOf(f.Items!, folder, modelDefs)}>",
        "Object" when f.Ref != null && modelDefs.TryGetValue(f.Ref, out var target) => QualifiedName(target, folder),
        "Object" => "JsonNode",
        _ => throw new InvalidDataException($"unknown field kind {f.Kind}"),
    };

    private static string QualifiedName(Definition target, string fromFolder)
    {
        var folder = Folders[Naming.GroupVersionId(target.Name)];
        var name = Naming.Pascal(target.ShortName);
        // Sibling namespaces resolve through Korral.Api.Models: "MetaV1.ObjectMeta" from Korral.Api.Models.CoreV1.
        return folder == fromFolder ? name : folder + "." + name;
    }
}
