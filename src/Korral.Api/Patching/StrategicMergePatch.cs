using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.Patching;

/// <summary>
/// Strategic merge patch, driven by the schema's patch metadata: lists with a merge key merge element by element,
/// primitive lists with the merge strategy are unions, other lists are replaced; maps merge and null deletes. The
/// directives $patch (replace, delete, merge), $retainKeys, $setElementOrder/… and $deleteFromPrimitiveList/… are honoured.
/// </summary>
public sealed class StrategicMergePatch(ISchemaCatalog schemas)
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Applies <paramref name="patch"/> to <paramref name="original"/> (which is modified) for an object of <paramref name="schemaName"/>.</summary>
    public JsonObject Apply(JsonObject original, JsonObject patch, string? schemaName)
    {
        var type = schemaName is null ? null : schemas.Find(schemaName);
        return MergeMap(original, patch, type) ?? new JsonObject();
    }

    private JsonObject? MergeMap(JsonObject original, JsonObject patch, TypeSchema? type, FieldSchema? mapValues = null)
    {
        if (patch[PatchDirective] is JsonValue directive)
        {
            switch ((string?)directive)
            {
                case "replace":
                    return StripDirectives(patch);
                case "delete":
                    return null;
                case "merge":
                    break;
                default:
                    throw new PatchException($"Unknown patch type: {directive}", malformed: true);
            }
        }

        List<string>? retainKeys = null;
        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            retainKeys = retain.Select(r => (string?)r ?? "").ToList();
        }

        var orders = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        var deletions = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (key == PatchDirective || key == RetainKeysDirective)
            {
                continue;
            }

            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                orders[key[SetElementOrderPrefix.Length..]] = value as JsonArray ?? throw new PatchException($"{key} must be a list", malformed: true);
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                deletions[key[DeleteFromPrimitiveListPrefix.Length..]] = value as JsonArray ?? throw new PatchException($"{key} must be a list", malformed: true);
                continue;
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            var field = mapValues ?? (type?.Properties.TryGetValue(key, out var f) == true ? f : null);
            var merged = MergeValue(original[key], value, field);
            original.Remove(key);
            if (merged is not null)
            {
                original[key] = merged;
            }
        }

        foreach (var (key, values) in deletions)
        {
            if (original[key] is JsonArray list)
            {
                foreach (var remove in values)
                {
                    foreach (var match in list.Where(e => JsonNode.DeepEquals(e, remove)).ToList())
                    {
                        list.Remove(match);
                    }
                }
            }
        }

        foreach (var (key, order) in orders)
        {
            if (original[key] is JsonArray list)
            {
                var field = mapValues ?? (type?.Properties.TryGetValue(key, out var f) == true ? f : null);
                Reorder(list, order, field?.PatchMergeKey);
            }
        }

        if (retainKeys is not null)
        {
            foreach (var key in original.Select(p => p.Key).Where(k => !retainKeys.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }

        return original;
    }

    private JsonNode? MergeValue(JsonNode? original, JsonNode patch, FieldSchema? field)
    {
        switch (patch)
        {
            case JsonObject patchObject:
                if (field?.Kind is FieldKind.Object or FieldKind.Map or FieldKind.Any or null && original is JsonObject originalObject)
                {
                    var type = field?.Kind == FieldKind.Object && field.Ref is not null ? schemas.Find(field.Ref) : null;
                    var values = field?.Kind == FieldKind.Map ? field.Items : null;
                    return MergeMap(originalObject, patchObject, type, values);
                }

                return MergeMap(new JsonObject(), patchObject, field?.Ref is { } r ? schemas.Find(r) : null, field?.Kind == FieldKind.Map ? field.Items : null);
            case JsonArray patchArray:
                if (field is { Kind: FieldKind.Array } && field.PatchStrategy?.Contains("merge", StringComparison.Ordinal) == true)
                {
                    return MergeList(original as JsonArray ?? [], patchArray, field);
                }

                return StripDirectivesFromList(patchArray);
            default:
                return patch.DeepClone();
        }
    }

    private JsonArray MergeList(JsonArray original, JsonArray patch, FieldSchema field)
    {
        var mergeKey = field.PatchMergeKey;
        var itemType = field.Items?.Ref is { } r ? schemas.Find(r) : null;
        if (patch.OfType<JsonObject>().Any(e => (string?)e[PatchDirective] == "replace"))
        {
            // {"$patch": "replace"} in a list: the list becomes exactly the other elements of the patch.
            return new JsonArray(patch.Where(e => !(e is JsonObject o && (string?)o[PatchDirective] == "replace")).Select(e => e?.DeepClone()).ToArray());
        }

        if (mergeKey is null)
        {
            // A primitive list with the merge strategy is a set union, keeping the original order first.
            var result = new JsonArray(original.Select(e => e?.DeepClone()).ToArray());
            foreach (var item in patch)
            {
                if (!result.Any(e => JsonNode.DeepEquals(e, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return result;
        }

        var merged = new JsonArray(original.Select(e => e?.DeepClone()).ToArray());
        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                throw new PatchException($"the list to merge by \"{mergeKey}\" must hold objects", malformed: true);
            }

            var key = element[mergeKey];
            var existing = merged.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], key));
            if ((string?)element[PatchDirective] == "delete")
            {
                if (existing is not null)
                {
                    merged.Remove(existing);
                }

                continue;
            }

            if (existing is null)
            {
                merged.Add(MergeMap(new JsonObject(), element, itemType));
            }
            else
            {
                // MergeMap merges into the existing element in place, or returns a replacement (or null to delete it).
                var result = MergeMap(existing, element, itemType);
                if (result is null)
                {
                    merged.Remove(existing);
                }
                else if (!ReferenceEquals(result, existing))
                {
                    merged[merged.IndexOf(existing)] = result;
                }
            }
        }

        return merged;
    }

    private static void Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        var items = list.ToList();
        var ordered = new List<JsonNode?>();
        foreach (var o in order)
        {
            var index = items.FindIndex(i => mergeKey is null
                ? JsonNode.DeepEquals(i, o)
                : i is JsonObject io && o is JsonObject oo && JsonNode.DeepEquals(io[mergeKey], oo[mergeKey]));
            if (index >= 0)
            {
                ordered.Add(items[index]);
                items.RemoveAt(index);
            }
        }

        ordered.AddRange(items);
        list.Clear();
        foreach (var item in ordered)
        {
            list.Add(item?.DeepClone());
        }
    }

    private static JsonObject StripDirectives(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k != PatchDirective && k != RetainKeysDirective && !k.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) &&
                !k.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                copy[k] = v switch
                {
                    JsonObject o => StripDirectives(o),
                    JsonArray a => StripDirectivesFromList(a),
                    _ => v?.DeepClone(),
                };
            }
        }

        return copy;
    }

    private static JsonArray StripDirectivesFromList(JsonArray list) =>
        new(list.Select(e => e switch
        {
            JsonObject o => StripDirectives(o),
            JsonArray a => StripDirectivesFromList(a),
            _ => e?.DeepClone(),
        }).ToArray());
}
