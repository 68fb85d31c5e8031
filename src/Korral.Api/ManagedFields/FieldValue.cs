using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// An immutable JSON value inside a path element: a list-map key value (<c>"nginx"</c>, <c>80</c>) or a set member.
/// Equality follows upstream (numbers by value); <see cref="Json"/> is its canonical Go-style JSON text.
/// </summary>
public sealed class FieldValue : IEquatable<FieldValue>, IComparable<FieldValue>
{
    private readonly JsonNode? node;

    private FieldValue(JsonNode? node, string json)
    {
        this.node = node;
        Json = json;
    }

    /// <summary>Canonical compact JSON (sorted keys, integral numbers without fraction, Go's escaping).</summary>
    public string Json { get; }

    /// <summary>A copy of the value.</summary>
    public JsonNode? ToNode() => node?.DeepClone();

    internal JsonNode? Node => node;

    public static FieldValue Of(JsonNode? value)
    {
        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case System.Text.Json.JsonValueKind.String:
                    return Of(v.GetValue<string>());
                case System.Text.Json.JsonValueKind.Number when JsonValues.TryGetInteger(v, out var l, out _):
                    return Of(l);
                case System.Text.Json.JsonValueKind.Null:
                    return new FieldValue(null, "null");
            }
        }

        return new FieldValue(value?.DeepClone(), JsonValues.GoJson(value));
    }

    public static FieldValue Of(string value) => new(JsonValue.Create(value), Quote(value));

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

    public static FieldValue Of(long value) => new(JsonValue.Create(value), value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public bool Equals(FieldValue? other) => other is not null && string.Equals(Json, other.Json, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is FieldValue v && Equals(v);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    public int CompareTo(FieldValue? other) => other is null ? 1 : ReferenceEquals(this, other) ? 0 : JsonValues.Compare(node, other.node);

    /// <summary>As upstream prints it in a path: <c>"nginx"</c>, <c>80</c>.</summary>
    public override string ToString() => JsonValues.ToPathString(node);
}
