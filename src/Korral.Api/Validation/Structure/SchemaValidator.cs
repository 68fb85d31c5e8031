using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Schema;
using Korral.Api.Validation.Quantities;

namespace Korral.Api.Validation.Structure;

/// <summary>
/// Walks an object with the schema of its kind (from <see cref="ISchemaCatalog"/>) to find values of the wrong type,
/// unknown fields and missing required fields, and offers the two rewrites that need the same walk: dropping
/// unknown fields and canonicalizing quantities (<c>0.5</c> → <c>500m</c>), as upstream's decode and re-encode do.
/// </summary>
public sealed class SchemaValidator
{
    private readonly ISchemaCatalog catalog;

    public SchemaValidator(ISchemaCatalog catalog)
    {
        this.catalog = catalog;
    }

    /// <summary>Checks an object of <paramref name="kind"/>; an unknown kind yields a clean result.</summary>
    public SchemaCheckResult Check(JsonObject obj, GroupVersionKind kind) =>
        catalog.FindByKind(kind) is { } schema ? Check(obj, schema) : new SchemaCheckResult([], [], [], []);

    public SchemaCheckResult Check(JsonObject obj, TypeSchema schema)
    {
        var walk = new Walk();
        WalkObject(obj, schema, FieldPath.Empty, [], walk);
        return new SchemaCheckResult(walk.DecodeErrors, walk.TypeErrors, walk.Unknown, walk.Required);
    }

    /// <summary>Removes the fields the schema does not define (fieldValidation Ignore/Warn); returns how many.</summary>
    public int PruneUnknownFields(JsonObject obj, GroupVersionKind kind) =>
        catalog.FindByKind(kind) is { } schema ? Prune(obj, schema) : 0;

    /// <summary>
    /// Rewrites every quantity field in its canonical form (numbers become strings), as upstream stores them;
    /// values that do not parse are left alone. Returns how many changed.
    /// </summary>
    public int CanonicalizeQuantities(JsonObject obj, GroupVersionKind kind) =>
        catalog.FindByKind(kind) is { } schema ? Canonicalize(obj, schema) : 0;

    private static string ShortName(string definition)
    {
        var dot = definition.LastIndexOf('.');
        return dot < 0 ? definition : definition[(dot + 1)..];
    }

    // "io.k8s.api.core.v1.PodSpec" → "v1.PodSpec"
    private static string GoTypeName(string definition)
    {
        var parts = definition.Split('.');
        return parts.Length >= 2 ? parts[^2] + "." + parts[^1] : definition;
    }

    private static string GoType(FieldSchema f) => f.Kind switch
    {
        FieldKind.String => "string",
        FieldKind.Integer => f.Format == "int32" ? "int32" : "int64",
        FieldKind.Number => f.Format == "float" ? "float32" : "float64",
        FieldKind.Boolean => "bool",
        FieldKind.Object => f.Ref is null ? "map[string]interface {}" : GoTypeName(f.Ref),
        FieldKind.Array => "[]" + (f.Items is null ? "interface {}" : GoType(f.Items)),
        FieldKind.Map => "map[string]" + (f.Items is null ? "interface {}" : GoType(f.Items)),
        FieldKind.IntOrString => "intstr.IntOrString",
        FieldKind.Quantity => "resource.Quantity",
        FieldKind.Time => "v1.Time",
        FieldKind.MicroTime => "v1.MicroTime",
        FieldKind.Bytes => "[]uint8",
        _ => "interface {}",
    };

    private static string SchemaTypeName(FieldSchema f) => f.Kind switch
    {
        FieldKind.String or FieldKind.Time or FieldKind.MicroTime or FieldKind.Bytes => "string",
        FieldKind.Integer => "integer",
        FieldKind.Number => "number",
        FieldKind.Boolean => "boolean",
        FieldKind.Object or FieldKind.Map => "object",
        FieldKind.Array => "array",
        FieldKind.IntOrString => "integer,string",
        FieldKind.Quantity => "integer,string",
        _ => "any",
    };

    private static string JsonKind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
    };

    private static string SchemaKind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => IsIntegerLiteral(node.ToJsonString()) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
    };

    private static bool IsIntegerLiteral(string text) =>
        text.Length > 0 && text.TrimStart('-').Length > 0 && text.TrimStart('-').All(char.IsAsciiDigit);

    private static bool IsNull(JsonNode? node) => node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    private void WalkObject(JsonObject obj, TypeSchema schema, FieldPath path, List<string> goPath, Walk walk)
    {
        var structName = ShortName(schema.Name);
        foreach (var (key, value) in obj)
        {
            var childPath = path.Child(key);
            if (schema.Properties.TryGetValue(key, out var field))
            {
                goPath.Add(key);
                WalkValue(value, field, childPath, structName, goPath, walk);
                goPath.RemoveAt(goPath.Count - 1);
            }
            else if (!schema.PreserveUnknownFields)
            {
                walk.Unknown.Add(childPath.ToString());
            }
        }

        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                walk.Required.Add(FieldError.Required(path.Child(required)));
            }
        }
    }

    private void WalkValue(JsonNode? node, FieldSchema field, FieldPath path, string structName, List<string> goPath, Walk walk)
    {
        if (IsNull(node) || field.Kind == FieldKind.Any)
        {
            return;
        }

        var value = node!;
        switch (field.Kind)
        {
            case FieldKind.String:
                if (!JsonAccess.IsString(value))
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }

                break;
            case FieldKind.Boolean:
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) || value is not JsonValue)
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }

                break;
            case FieldKind.Integer:
                if (!JsonAccess.IsNumber(value))
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }
                else if (!FitsInteger(value.ToJsonString(), field.Format))
                {
                    Mismatch(value, field, path, structName, goPath, walk, "number " + value.ToJsonString());
                }

                break;
            case FieldKind.Number:
                if (!JsonAccess.IsNumber(value))
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }

                break;
            case FieldKind.IntOrString:
                if (!JsonAccess.IsString(value))
                {
                    if (!JsonAccess.IsNumber(value) || !FitsInteger(value.ToJsonString(), "int32"))
                    {
                        var kind = JsonAccess.IsNumber(value) ? "number " + value.ToJsonString() : JsonKind(value);
                        walk.DecodeErrors.Add(new DecodeError(path.ToString(), $"json: cannot unmarshal {kind} into Go value of type int32"));
                        walk.TypeErrors.Add(TypeInvalid(value, field, path));
                    }
                }

                break;
            case FieldKind.Quantity:
                if (!(JsonAccess.IsString(value) || JsonAccess.IsNumber(value)) || !ResourceQuantity.TryParse(value, out _, out _))
                {
                    var text = JsonAccess.AsString(value) ?? value.ToJsonString();
                    var error = ResourceQuantity.TryParse(text, out _, out var e) ? ResourceQuantity.FormatError : e!;
                    walk.DecodeErrors.Add(new DecodeError(path.ToString(), error));
                    walk.TypeErrors.Add(FieldError.Invalid(path, text, error));
                }

                break;
            case FieldKind.Time or FieldKind.MicroTime:
                if (!JsonAccess.IsString(value))
                {
                    walk.DecodeErrors.Add(new DecodeError(path.ToString(), $"json: cannot unmarshal {JsonKind(value)} into Go value of type string"));
                    walk.TypeErrors.Add(TypeInvalid(value, field, path));
                }
                else if (!IsRfc3339(value.GetValue<string>()))
                {
                    var s = value.GetValue<string>();
                    var message = $"parsing time {GoSyntax.Quote(s)} as \"2006-01-02T15:04:05Z07:00\": cannot parse {GoSyntax.Quote(s)} as \"2006\"";
                    walk.DecodeErrors.Add(new DecodeError(path.ToString(), message));
                    walk.TypeErrors.Add(FieldError.Invalid(path, s, $"{path} in body must be of type date-time: {GoSyntax.Quote(s)}"));
                }

                break;
            case FieldKind.Bytes:
                if (!JsonAccess.IsString(value))
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }
                else if (Base64ErrorOffset(value.GetValue<string>()) is { } offset)
                {
                    walk.DecodeErrors.Add(new DecodeError(path.ToString(), $"illegal base64 data at input byte {offset.ToString(CultureInfo.InvariantCulture)}"));
                    walk.TypeErrors.Add(FieldError.Invalid(path, value.GetValue<string>(), $"{path} in body must be of type byte: {GoSyntax.Quote(value.GetValue<string>())}"));
                }

                break;
            case FieldKind.Object:
                if (value is not JsonObject o)
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }
                else if (field.Ref is not null && catalog.Find(field.Ref) is { } nested)
                {
                    WalkObject(o, nested, path, goPath, walk);
                }

                break;
            case FieldKind.Array:
                if (value is not JsonArray a)
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }
                else if (field.Items is not null)
                {
                    for (var i = 0; i < a.Count; i++)
                    {
                        WalkValue(a[i], field.Items, path.Index(i), structName, goPath, walk);
                    }
                }

                break;
            case FieldKind.Map:
                if (value is not JsonObject m)
                {
                    Mismatch(value, field, path, structName, goPath, walk);
                }
                else if (field.Items is not null)
                {
                    foreach (var (key, item) in m)
                    {
                        WalkValue(item, field.Items, path.Key(key), structName, goPath, walk);
                    }
                }

                break;
        }
    }

    private static FieldError TypeInvalid(JsonNode value, FieldSchema field, FieldPath path)
    {
        var actual = SchemaKind(value);
        return FieldError.TypeInvalid(path, actual, $"{path} in body must be of type {SchemaTypeName(field)}: {GoSyntax.Quote(actual)}");
    }

    private static void Mismatch(JsonNode value, FieldSchema field, FieldPath path, string structName, List<string> goPath, Walk walk,
        string? valueText = null)
    {
        var message = $"json: cannot unmarshal {valueText ?? JsonKind(value)} into Go struct field {structName}.{string.Join('.', goPath)} of type {GoType(field)}";
        walk.DecodeErrors.Add(new DecodeError(path.ToString(), message));
        walk.TypeErrors.Add(TypeInvalid(value, field, path));
    }

    private static bool FitsInteger(string text, string? format)
    {
        if (!IsIntegerLiteral(text))
        {
            return false;
        }

        return format == "int32"
            ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
    }

    private static bool IsRfc3339(string s)
    {
        // Go accepts up to nine fractional digits (MicroTime has six); .NET parses at most seven, so the fraction is
        // cut to seven digits before parsing.
        var dot = s.IndexOf('.');
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }

            if (end == dot + 1 || end - dot - 1 > 9)
            {
                return false;
            }

            s = string.Concat(s.AsSpan(0, Math.Min(end, dot + 8)), s.AsSpan(end));
        }

        return DateTimeOffset.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _);
    }

    // Go's base64.StdEncoding: the offset of the first bad byte, or null when the text decodes.
    private static int? Base64ErrorOffset(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var i = 0;
        var data = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '\r' or '\n')
            {
                continue;
            }

            if (c == '=')
            {
                break;
            }

            if (alphabet.IndexOf(c) < 0)
            {
                return i;
            }

            data++;
        }

        if (i == s.Length)
        {
            return data % 4 == 0 ? null : (data % 4 == 1 ? s.Length - 1 : s.Length);
        }

        // Padding: only '=' may follow, and the group must be complete.
        var pad = s.Length - i;
        if (data % 4 == 0 || data % 4 == 1 || s[i..].Any(c => c != '=') || data % 4 + pad != 4)
        {
            return i;
        }

        return null;
    }

    private int Prune(JsonObject obj, TypeSchema schema)
    {
        var removed = 0;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (!schema.Properties.TryGetValue(key, out var field))
            {
                if (!schema.PreserveUnknownFields)
                {
                    obj.Remove(key);
                    removed++;
                }

                continue;
            }

            removed += PruneValue(obj[key], field);
        }

        return removed;
    }

    private int PruneValue(JsonNode? node, FieldSchema field)
    {
        switch (field.Kind)
        {
            case FieldKind.Object when node is JsonObject o && field.Ref is not null && catalog.Find(field.Ref) is { } nested:
                return Prune(o, nested);
            case FieldKind.Array when node is JsonArray a && field.Items is not null:
                return a.Sum(item => PruneValue(item, field.Items));
            case FieldKind.Map when node is JsonObject m && field.Items is not null:
                return m.Sum(p => PruneValue(p.Value, field.Items));
            default:
                return 0;
        }
    }

    private int Canonicalize(JsonObject obj, TypeSchema schema)
    {
        var changed = 0;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (schema.Properties.TryGetValue(key, out var field))
            {
                changed += CanonicalizeValue(obj, key, null, field);
            }
        }

        return changed;
    }

    private int CanonicalizeValue(JsonNode parent, string? key, int? index, FieldSchema field)
    {
        var node = key is not null ? ((JsonObject)parent)[key] : ((JsonArray)parent)[index!.Value];
        switch (field.Kind)
        {
            case FieldKind.Quantity when node is JsonValue && ResourceQuantity.TryParse(node, out var q, out _):
                var canonical = q.ToString();
                if (JsonAccess.AsString(node) == canonical)
                {
                    return 0;
                }

                if (key is not null)
                {
                    ((JsonObject)parent)[key] = canonical;
                }
                else
                {
                    ((JsonArray)parent)[index!.Value] = canonical;
                }

                return 1;
            case FieldKind.Object when node is JsonObject o && field.Ref is not null && catalog.Find(field.Ref) is { } nested:
                return Canonicalize(o, nested);
            case FieldKind.Array when node is JsonArray a && field.Items is not null:
                var n = 0;
                for (var i = 0; i < a.Count; i++)
                {
                    n += CanonicalizeValue(a, null, i, field.Items);
                }

                return n;
            case FieldKind.Map when node is JsonObject m && field.Items is not null:
                var c = 0;
                foreach (var k in m.Select(p => p.Key).ToList())
                {
                    c += CanonicalizeValue(m, k, null, field.Items);
                }

                return c;
            default:
                return 0;
        }
    }

    private sealed class Walk
    {
        public List<DecodeError> DecodeErrors { get; } = [];

        public FieldErrorList TypeErrors { get; } = [];

        public List<string> Unknown { get; } = [];

        public FieldErrorList Required { get; } = [];
    }
}
