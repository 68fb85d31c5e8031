using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// Schema-aware operations on JSON objects, the counterpart of upstream's typed values: the field set of an object,
/// the comparison of two objects, the merge of an applied configuration, and the removal of a set of fields.
/// </summary>
internal static partial class Typed
{
    public static bool IsNull(JsonNode? node) => node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    /// <summary>The path element of a list item, or an error message when it cannot be formed.</summary>
    public static bool TryItemElement(Shape list, JsonNode? item, int index, out PathElement element, out string? error)
    {
        error = null;
        element = default;
        switch (list.ListKind)
        {
            case ListKind.Map:
                if (IsNull(item))
                {
                    error = "associative list with keys may not have a null element";
                    return false;
                }

                if (item is not JsonObject obj)
                {
                    error = "associative list with keys may not have non-map elements";
                    return false;
                }

                var keys = list.Keys!;
                var fields = new KeyField[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    if (obj.TryGetPropertyValue(keys[i], out var value))
                    {
                        fields[i] = new KeyField(keys[i], FieldValue.Of(value));
                    }
                    else if (list.KeyDefaults![i] is { } def)
                    {
                        fields[i] = new KeyField(keys[i], FieldValue.Of(def));
                    }
                    else
                    {
                        error = $"associative list with keys has an element that omits key field \"{keys[i]}\" (and doesn't have default value)";
                        return false;
                    }
                }

                if (fields.Length > 1)
                {
                    Array.Sort(fields, static (a, b) => JsonValues.CompareStrings(a.Name, b.Name));
                }

                element = PathElement.ForSortedKey(fields);
                return true;
            case ListKind.Set:
                if (item is JsonObject or JsonArray)
                {
                    error = "associative list without keys has an element that's a map type";
                    return false;
                }

                element = PathElement.ForValue(FieldValue.Of(item));
                return true;
            default:
                element = PathElement.ForIndex(index);
                return true;
        }
    }

    /// <summary>The path elements of every item, or null (with an error) when one cannot be formed.</summary>
    public static PathElement[]? ItemElements(Shape list, JsonArray? items, out string? error)
    {
        error = null;
        if (items is null || items.Count == 0)
        {
            return [];
        }

        var result = new PathElement[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!TryItemElement(list, items[i], i, out result[i], out var e))
            {
                error = $"element {i}: {e}";
                return null;
            }
        }

        return result;
    }

    /// <summary>What kind of JSON container a node is, for shape checks.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        JsonObject => "map",
        JsonArray => "list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string " + JsonValues.GoJson(v),
            JsonValueKind.Number => "number " + JsonValues.GoJson(v),
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
        _ => "null",
    };
}
