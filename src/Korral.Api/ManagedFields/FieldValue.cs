using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// An immutable JSON value inside a path element: a list-map key value (<c>"nginx"</c>, <c>80</c>) or a set member.
/// Equality follows upstream (numbers by value); <see cref="Json"/> is its canonical Go-style JSON text.
/// </summary>
public sealed class FieldValue : IEquatable<FieldValue>, IComparable<FieldValue>
{
    private readonly JsonNode? node;
    private readonly string? text;
    private readonly long number;
    private readonly Kind kind;

    private enum Kind : byte
    {
        String,
        Integer,
        Other,
    }

    private FieldValue(Kind kind, string? text, long number, JsonNode? node, string json)
    {
        this.kind = kind;
        this.text = text;
        this.number = number;
        this.node = node;
        Json = json;
    }

    /// <summary>Canonical compact JSON (sorted keys, integral numbers without fraction, Go's escaping).</summary>
    public string Json { get; }

    /// <summary>A copy of the value.</summary>
    public JsonNode? ToNode() => kind switch
    {
        Kind.String => JsonValue.Create(text),
        Kind.Integer => JsonValue.Create(number),
        _ => node?.DeepClone(),
    };

    public static FieldValue Of(JsonNode? value)
    {
        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.String:
                    return Of(v.GetValue<string>());
                case JsonValueKind.Number when JsonValues.TryGetInteger(v, out var l, out _):
                    return Of(l);
                case JsonValueKind.Null:
                    return new FieldValue(Kind.Other, null, 0, null, "null");
            }
        }

        return new FieldValue(Kind.Other, null, 0, value?.DeepClone(), JsonValues.GoJson(value));
    }

    public static FieldValue Of(string value) => new(Kind.String, value, 0, null, Quote(value));

    public static FieldValue Of(long value) => new(Kind.Integer, null, value, null, value.ToString(CultureInfo.InvariantCulture));

    private static string Quote(string s)
    {
        foreach (var c in s)
        {
            if (c < 0x20 || c is '"' or '\\' or '<' or '>' or '&' or '\u2028' or '\u2029' || char.IsSurrogate(c))
            {
                var sb = new System.Text.StringBuilder(s.Length + 8);
                JsonValues.WriteGoString(sb, s);
                return sb.ToString();
            }
        }

        return string.Concat("\"", s, "\"");
    }

    public bool Equals(FieldValue? other)
    {
        if (other is null)
        {
            return false;
        }

        if (kind == Kind.String && other.kind == Kind.String)
        {
            return string.Equals(text, other.text, StringComparison.Ordinal);
        }

        if (kind == Kind.Integer && other.kind == Kind.Integer)
        {
            return number == other.number;
        }

        return string.Equals(Json, other.Json, StringComparison.Ordinal);
    }

    public override bool Equals(object? obj) => obj is FieldValue v && Equals(v);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    public int CompareTo(FieldValue? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        if (kind == Kind.String && other.kind == Kind.String)
        {
            return JsonValues.CompareStrings(text!, other.text!);
        }

        if (kind == Kind.Integer && other.kind == Kind.Integer)
        {
            return number.CompareTo(other.number);
        }

        return JsonValues.Compare(AsNode(), other.AsNode());
    }

    private JsonNode? AsNode() => kind == Kind.Other ? node : ToNode();

    /// <summary>As upstream prints it in a path: <c>"nginx"</c>, <c>80</c>.</summary>
    public override string ToString() => kind switch
    {
        Kind.String => Validation.GoSyntax.Quote(text!),
        Kind.Integer => number.ToString(CultureInfo.InvariantCulture),
        _ => JsonValues.ToPathString(node),
    };
}
