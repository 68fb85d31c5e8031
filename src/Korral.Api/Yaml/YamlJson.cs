using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Korral.Api.Yaml;

/// <summary>
/// Converts between YAML and JSON trees the way Kubernetes' YAML handling does: YAML is read as JSON
/// (plain scalars become numbers, booleans or null when they look like them; quoted scalars stay strings).
/// </summary>
public static class YamlJson
{
    /// <summary>Reads every document of a YAML stream; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonNode?> ParseDocuments(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var docs = new List<JsonNode?>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            if (parser.TryConsume<DocumentEnd>(out _))
            {
                continue;
            }

            var node = ReadNode(parser);
            parser.Consume<DocumentEnd>();
            if (node is not null)
            {
                docs.Add(node);
            }
        }

        return docs;
    }

    /// <summary>Reads a single YAML document (the request body of a write); throws <see cref="YamlException"/> on malformed input.</summary>
    public static JsonNode? Parse(string yaml)
    {
        var docs = ParseDocuments(yaml);
        return docs.Count switch
        {
            0 => null,
            1 => docs[0],
            _ => throw new YamlException("expected a single YAML document, found several"),
        };
    }

    private static JsonNode? ReadNode(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return ScalarToJson(scalar);
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser));
            }

            return array;
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser);
                var key = keyNode switch
                {
                    null => "null",
                    JsonValue v => v.ToString(),
                    _ => throw new YamlException("mapping keys must be scalars"),
                };
                var value = ReadNode(parser);
                obj[key] = value; // a repeated key keeps the last value, as Go's YAML-to-JSON does
            }

            return obj;
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            throw new YamlException(alias.Start, alias.End, "YAML aliases are not supported");
        }

        throw new YamlException(parser.Current?.Start ?? Mark.Empty, parser.Current?.End ?? Mark.Empty, "unexpected YAML content");
    }

    private static JsonNode? ScalarToJson(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str")
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (LooksNumeric(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }

            if (text.StartsWith("0x", StringComparison.Ordinal) &&
                long.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            {
                return JsonValue.Create(hex);
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d))
            {
                return JsonValue.Create(d);
            }
        }

        return JsonValue.Create(text);
    }

    private static bool LooksNumeric(string text)
    {
        // Only plain decimal/float/hex forms; "1e3" counts, "1:20" or "0755-ish" words do not.
        var c = text[0];
        return char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && text.Length > 1);
    }

    /// <summary>Writes a JSON tree as block-style YAML.</summary>
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0, inSequence: false);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int indent, bool inSequence)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inSequence))
                    {
                        sb.Append(' ', indent);
                    }

                    first = false;
                    sb.Append(QuoteIfNeeded(key)).Append(':');
                    WriteChild(sb, value, indent);
                }

                break;
            case JsonArray array when array.Count > 0:
                foreach (var item in array)
                {
                    sb.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        if (item is JsonArray)
                        {
                            sb.Append('\n');
                            Write(sb, item, indent + 2, inSequence: false);
                        }
                        else
                        {
                            Write(sb, item, indent + 2, inSequence: true);
                        }
                    }
                    else
                    {
                        sb.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(' ', indent).Append(Scalar(node)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder sb, JsonNode? value, int indent)
    {
        if (value is JsonObject { Count: > 0 })
        {
            sb.Append('\n');
            Write(sb, value, indent + 2, inSequence: false);
        }
        else if (value is JsonArray { Count: > 0 })
        {
            sb.Append('\n');
            Write(sb, value, indent, inSequence: false);
        }
        else
        {
            sb.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => QuoteIfNeeded(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    private static string QuoteIfNeeded(string s)
    {
        if (s.Length == 0 || NeedsQuotes(s))
        {
            return JsonSerializer.Serialize(s);
        }

        return s;
    }

    private static bool NeedsQuotes(string s)
    {
        if (s is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off" or "True" or "False" or "Yes" or "No" or "On" or "Off" or "NULL" or "Null")
        {
            return true;
        }

        if (char.IsAsciiDigit(s[0]) || s[0] is '-' or '+' or '.' or ' ' || s[^1] == ' ')
        {
            return true;
        }

        foreach (var c in s)
        {
            if (c is ':' or '#' or '{' or '}' or '[' or ']' or ',' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or '\n' or '\t' || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
