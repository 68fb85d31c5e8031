using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

public sealed partial class FieldSet
{
    private const string Self = ".";

    /// <summary>
    /// The FieldsV1 form of this set, as in <c>metadata.managedFields[].fieldsV1</c>: keys in upstream's order, a
    /// member leaf as <c>{}</c>, and <c>".": {}</c> first in a node that is both a member and has children.
    /// </summary>
    public JsonObject ToFieldsV1() => Emit(includeSelf: false);

    private JsonObject Emit(bool includeSelf)
    {
        var obj = new JsonObject();
        if (includeSelf && Nodes.Length > 0)
        {
            obj.Add(Self, new JsonObject());
        }

        foreach (var node in Nodes)
        {
            obj.Add(node.Element.Serialize(), node.Children is null ? new JsonObject() : node.Children.Emit(node.Member));
        }

        return obj;
    }

    /// <summary>The compact FieldsV1 JSON text of this set.</summary>
    public string ToFieldsV1Json()
    {
        var sb = new StringBuilder();
        WriteJson(sb, includeSelf: false);
        return sb.ToString();
    }

    private void WriteJson(StringBuilder sb, bool includeSelf)
    {
        sb.Append('{');
        var first = true;
        if (includeSelf && Nodes.Length > 0)
        {
            sb.Append("\".\":{}");
            first = false;
        }

        foreach (var node in Nodes)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            JsonValues.WriteGoString(sb, node.Element.Serialize());
            sb.Append(':');
            if (node.Children is null)
            {
                sb.Append("{}");
            }
            else
            {
                node.Children.WriteJson(sb, node.Member);
            }
        }

        sb.Append('}');
    }

    /// <summary>Reads a FieldsV1 object; null or absent reads as the empty set. Throws <see cref="FormatException"/> when malformed.</summary>
    public static FieldSet FromFieldsV1(JsonNode? fieldsV1) => FromFieldsV1(fieldsV1, out _);

    /// <summary>Reads a FieldsV1 object and tells whether it is exactly as <see cref="ToFieldsV1"/> would write the set.</summary>
    internal static FieldSet FromFieldsV1(JsonNode? fieldsV1, out bool canonical)
    {
        canonical = false;
        if (fieldsV1 is null)
        {
            return Empty;
        }

        if (fieldsV1 is not JsonObject obj)
        {
            throw new FormatException("FieldsV1 must be a JSON object");
        }

        canonical = true;
        var set = Read(obj, out var self, ref canonical);
        canonical &= !self;
        return set;
    }

    /// <summary>Reads FieldsV1 JSON text.</summary>
    public static FieldSet FromFieldsV1Json(string json)
    {
        try
        {
            return FromFieldsV1(JsonNode.Parse(json));
        }
        catch (JsonException e)
        {
            throw new FormatException("FieldsV1 is not valid JSON: " + e.Message, e);
        }
    }

    private static FieldSet Read(JsonObject obj, out bool self, ref bool canonical)
    {
        self = false;
        if (obj.Count == 0)
        {
            return Empty;
        }

        var nodes = new Node[obj.Count];
        var n = 0;
        var sorted = true;
        var position = 0;
        foreach (var (key, value) in obj)
        {
            if (key == Self)
            {
                self = true;
                canonical &= position == 0;
                position++;
                continue;
            }

            position++;
            var element = PathElement.Parse(key, out var canonicalKey);
            canonical &= canonicalKey;
            if (value is not JsonObject child)
            {
                throw new FormatException($"expected an object for {key}");
            }

            Node node;
            if (child.Count == 0)
            {
                node = new Node(element, true, null);
            }
            else
            {
                var children = Read(child, out var member, ref canonical);
                node = new Node(element, member, children.IsEmpty ? null : children);
                canonical &= node.Children is not null;
            }

            if (node.Member || node.Children is not null)
            {
                if (n > 0 && nodes[n - 1].Element.CompareTo(element) >= 0)
                {
                    sorted = false;
                }

                nodes[n++] = node;
            }
        }

        canonical &= sorted && (!self || n > 0);
        if (n != nodes.Length)
        {
            nodes = nodes[..n];
        }

        if (!sorted)
        {
            Array.Sort(nodes, static (a, b) => a.Element.CompareTo(b.Element));
        }

        return n == 0 ? Empty : new FieldSet(nodes);
    }
}
