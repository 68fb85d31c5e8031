using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// One step of a field path: a field name, a list-map element's keys, a set element's value or a list index.
/// Ordered as upstream orders them (fields, then keys, values, indexes), which fixes the order of FieldsV1 JSON.
/// </summary>
public readonly struct PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    private const int ParseCacheLimit = 16384;
    private static readonly ConcurrentDictionary<string, (PathElement Element, bool Canonical)> ParseCache = new(StringComparer.Ordinal);

    private readonly object? data;
    private readonly int index;
    private readonly int hash;

    private PathElement(PathElementKind kind, object? data, int index, int hash)
    {
        Kind = kind;
        this.data = data;
        this.index = index;
        this.hash = hash;
    }

    public PathElementKind Kind { get; }

    /// <summary>The field name of a <see cref="PathElementKind.Field"/> element.</summary>
    public string? FieldName => Kind == PathElementKind.Field ? (string?)data : null;

    /// <summary>The key fields (sorted by name) of a <see cref="PathElementKind.Key"/> element.</summary>
    public IReadOnlyList<KeyField>? KeyFields => Kind == PathElementKind.Key ? (KeyField[]?)data : null;

    /// <summary>The value of a <see cref="PathElementKind.Value"/> element.</summary>
    public FieldValue? Value => Kind == PathElementKind.Value ? (FieldValue?)data : null;

    /// <summary>The position of an <see cref="PathElementKind.Index"/> element.</summary>
    public int? Index => Kind == PathElementKind.Index ? index : null;

    public static PathElement Field(string name) =>
        new(PathElementKind.Field, name, 0, HashCode.Combine(0, StringComparer.Ordinal.GetHashCode(name)));

    public static PathElement ForValue(FieldValue value) => new(PathElementKind.Value, value, 0, HashCode.Combine(2, value.GetHashCode()));

    public static PathElement ForIndex(int i) => new(PathElementKind.Index, null, i, HashCode.Combine(3, i));

    /// <summary>A list-map element; the fields are sorted by name here.</summary>
    public static PathElement ForKey(IEnumerable<KeyField> fields)
    {
        var array = fields.ToArray();
        if (array.Length > 1)
        {
            Array.Sort(array, (a, b) => JsonValues.CompareStrings(a.Name, b.Name));
        }

        return ForSortedKey(array);
    }

    /// <summary>A list-map element from name/value pairs, e.g. <c>ForKey(("containerPort", 80), ("protocol", "TCP"))</c>.</summary>
    public static PathElement ForKey(params (string Name, JsonNode? Value)[] fields) =>
        ForKey(fields.Select(f => new KeyField(f.Name, FieldValue.Of(f.Value))));

    internal static PathElement ForSortedKey(KeyField[] fields)
    {
        var h = new HashCode();
        h.Add(1);
        foreach (var f in fields)
        {
            h.Add(StringComparer.Ordinal.GetHashCode(f.Name));
            h.Add(f.Value.GetHashCode());
        }

        return new PathElement(PathElementKind.Key, fields, 0, h.ToHashCode());
    }

    public bool Equals(PathElement other)
    {
        if (hash != other.hash || Kind != other.Kind)
        {
            return false;
        }

        switch (Kind)
        {
            case PathElementKind.Field:
                return string.Equals((string?)data, (string?)other.data, StringComparison.Ordinal);
            case PathElementKind.Value:
                return ((FieldValue)data!).Equals((FieldValue)other.data!);
            case PathElementKind.Index:
                return index == other.index;
            default:
                var a = (KeyField[])data!;
                var b = (KeyField[])other.data!;
                if (a.Length != b.Length)
                {
                    return false;
                }

                for (var i = 0; i < a.Length; i++)
                {
                    if (!string.Equals(a[i].Name, b[i].Name, StringComparison.Ordinal) || !a[i].Value.Equals(b[i].Value))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    public override bool Equals(object? obj) => obj is PathElement other && Equals(other);

    public override int GetHashCode() => hash;

    public static bool operator ==(PathElement a, PathElement b) => a.Equals(b);

    public static bool operator !=(PathElement a, PathElement b) => !a.Equals(b);

    public static bool operator <(PathElement a, PathElement b) => a.CompareTo(b) < 0;

    public static bool operator >(PathElement a, PathElement b) => a.CompareTo(b) > 0;

    public static bool operator <=(PathElement a, PathElement b) => a.CompareTo(b) <= 0;

    public static bool operator >=(PathElement a, PathElement b) => a.CompareTo(b) >= 0;

    public int CompareTo(PathElement other)
    {
        if (Kind != other.Kind)
        {
            return Kind < other.Kind ? -1 : 1;
        }

        switch (Kind)
        {
            case PathElementKind.Field:
                return JsonValues.CompareStrings((string)data!, (string)other.data!);
            case PathElementKind.Value:
                return ((FieldValue)data!).CompareTo((FieldValue)other.data!);
            case PathElementKind.Index:
                return index.CompareTo(other.index);
            default:
                var a = (KeyField[])data!;
                var b = (KeyField[])other.data!;
                for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
                {
                    var c = JsonValues.CompareStrings(a[i].Name, b[i].Name);
                    if (c != 0)
                    {
                        return c;
                    }

                    c = a[i].Value.CompareTo(b[i].Value);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return a.Length.CompareTo(b.Length);
        }
    }

    /// <summary>As upstream prints a path step: <c>.image</c>, <c>[name="nginx"]</c>, <c>[="a"]</c>, <c>[0]</c>.</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case PathElementKind.Field:
                return "." + (string)data!;
            case PathElementKind.Value:
                return "[=" + ((FieldValue)data!).ToString() + "]";
            case PathElementKind.Index:
                return "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
            default:
                return "[" + string.Join(",", ((KeyField[])data!).Select(f => f.Name + "=" + f.Value.ToString())) + "]";
        }
    }

    /// <summary>The FieldsV1 key of this element: <c>f:name</c>, <c>k:{"name":"nginx"}</c>, <c>v:"a"</c>, <c>i:0</c>.</summary>
    public string Serialize()
    {
        switch (Kind)
        {
            case PathElementKind.Field:
                return "f:" + (string)data!;
            case PathElementKind.Value:
                return "v:" + ((FieldValue)data!).Json;
            case PathElementKind.Index:
                return "i:" + index.ToString(CultureInfo.InvariantCulture);
            default:
                var sb = new StringBuilder("k:{");
                var fields = (KeyField[])data!;
                for (var i = 0; i < fields.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    JsonValues.WriteGoString(sb, fields[i].Name);
                    sb.Append(':').Append(fields[i].Value.Json);
                }

                return sb.Append('}').ToString();
        }
    }

    /// <summary>Parses a FieldsV1 key (<c>f:</c>, <c>k:</c>, <c>v:</c>, <c>i:</c>); throws <see cref="FormatException"/> otherwise.</summary>
    public static PathElement Parse(string text) => Parse(text, out _);

    /// <summary>Parses a FieldsV1 key and tells whether it is written exactly as <see cref="Serialize"/> writes it.</summary>
    internal static PathElement Parse(string text, out bool canonical)
    {
        if (!ParseCache.TryGetValue(text, out var cached))
        {
            var parsed = ParseUncached(text);
            cached = (parsed, string.Equals(parsed.Serialize(), text, StringComparison.Ordinal));
            if (ParseCache.Count >= ParseCacheLimit)
            {
                ParseCache.Clear();
            }

            ParseCache.TryAdd(text, cached);
        }

        canonical = cached.Canonical;
        return cached.Element;
    }

    private static PathElement ParseUncached(string text)
    {
        if (text.Length < 2 || text[1] != ':')
        {
            throw new FormatException($"unknown path element type: {text}");
        }

        var rest = text[2..];
        switch (text[0])
        {
            case 'f':
                return Field(rest);
            case 'i':
                if (!int.TryParse(rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    throw new FormatException($"invalid index path element: {text}");
                }

                return ForIndex(i);
            case 'v':
                JsonNode? value;
                try
                {
                    value = JsonNode.Parse(rest);
                }
                catch (JsonException e)
                {
                    throw new FormatException($"invalid value path element: {text}: {e.Message}", e);
                }

                return ForValue(FieldValue.Of(value));
            case 'k':
                JsonObject? key;
                try
                {
                    key = JsonNode.Parse(rest) as JsonObject;
                }
                catch (JsonException e)
                {
                    throw new FormatException($"invalid key path element: {text}: {e.Message}", e);
                }

                if (key is null || key.Count == 0)
                {
                    throw new FormatException($"invalid key path element: {text}");
                }

                return ForKey(key.Select(p => new KeyField(p.Key, FieldValue.Of(p.Value))));
            default:
                throw new FormatException($"unknown path element type: {text}");
        }
    }
}
