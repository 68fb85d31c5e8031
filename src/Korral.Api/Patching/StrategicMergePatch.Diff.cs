using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.Patching;

/// <summary>Two-way patches: what kubectl computes client-side, for <c>kubectl diff</c>-style code and tests.</summary>
public sealed partial class StrategicMergePatch
{
    /// <summary>
    /// A strategic merge patch that turns <paramref name="original"/> into <paramref name="modified"/>, shaped like the
    /// patches kubectl sends: changed and new fields, removed ones as <c>null</c>, merged lists as changed elements
    /// plus <c>{"$patch":"delete"}</c> elements, <c>$deleteFromPrimitiveList</c> and <c>$setElementOrder</c>, and
    /// <c>$retainKeys</c> for retainKeys fields. Applying it to <paramref name="original"/> gives
    /// <paramref name="modified"/> when <paramref name="modified"/> has no nulls (they read as deletions), merged lists
    /// have unique merge keys present on every element, and merged scalar lists have no duplicates.
    /// Neither input is modified.
    /// </summary>
    public JsonObject CreateTwoWayMergePatch(JsonObject original, JsonObject modified, string? schemaName) =>
        DiffMaps(original, modified, Root(schemaName), buildRetainKeys: false);

    private JsonObject DiffMaps(JsonObject original, JsonObject modified, Node schema, bool buildRetainKeys)
    {
        var patch = new JsonObject();
        var retainKeys = new List<string>();
        foreach (var (key, after) in modified)
        {
            if (buildRetainKeys && after is not null)
            {
                retainKeys.Add(key);
            }

            if (!original.TryGetPropertyValue(key, out var before) || GoValue.TypeOf(before) != GoValue.TypeOf(after))
            {
                patch[key] = after?.DeepClone();
                continue;
            }

            if (key == PatchDirective)
            {
                if (!GoValue.Equal(before, after))
                {
                    patch[key] = after?.DeepClone();
                }

                continue;
            }

            var field = schema.Lookup(key);
            switch (after)
            {
                case JsonObject afterObject:
                {
                    var (retain, strategy) = Strategies(field);
                    if (strategy == ReplaceDirective)
                    {
                        patch[key] = afterObject.DeepClone();
                        break;
                    }

                    var nested = DiffMaps((JsonObject)before!, afterObject, Child(field), retain);
                    if (nested.Count > 0)
                    {
                        patch[key] = nested;
                    }

                    break;
                }

                case JsonArray afterList:
                {
                    var (retain, strategy) = Strategies(field);
                    if (strategy != MergeDirective)
                    {
                        if (!GoValue.Equal(before, afterList))
                        {
                            patch[key] = afterList.DeepClone();
                        }

                        break;
                    }

                    var (changes, deletions, order) = DiffLists((JsonArray)before!, afterList, field, retain);
                    if (changes.Count > 0)
                    {
                        patch[key] = new JsonArray([.. changes]);
                    }

                    if (deletions.Count > 0)
                    {
                        patch[$"{DeleteFromPrimitiveListPrefix}/{key}"] = new JsonArray([.. deletions]);
                    }

                    if (order.Count > 0)
                    {
                        patch[$"{SetElementOrderPrefix}/{key}"] = new JsonArray([.. order]);
                    }

                    break;
                }

                default:
                    if (!GoValue.Equal(before, after))
                    {
                        patch[key] = after?.DeepClone();
                    }

                    break;
            }
        }

        foreach (var (key, _) in original)
        {
            if (!modified.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        // $retainKeys whenever something changes, or the original has a field the modified map dropped.
        if (retainKeys.Count > 0 && (patch.Count > 0 || original.Any(p => p.Value is not null && !modified.ContainsKey(p.Key))))
        {
            patch[RetainKeysDirective] = new JsonArray([.. retainKeys.Order(StringComparer.Ordinal).Select(k => (JsonNode?)k)]);
        }

        return patch;
    }

    /// <summary>
    /// A merged list's changes: elements to merge (new ones whole, changed ones as nested patches with their merge key)
    /// followed by deletions, scalars to delete, and the final order when anything changed.
    /// </summary>
    private (List<JsonNode?> Changes, List<JsonNode?> Deletions, List<JsonNode?> Order) DiffLists(
        JsonArray original, JsonArray modified, FieldSchema? field, bool buildRetainKeys)
    {
        if (original.Count == 0)
        {
            return ([.. modified.Select(item => item?.DeepClone())], [], []);
        }

        var mergeKey = MergeKey(field);
        if (!ElementsAreMaps([.. original], modified))
        {
            var before = original.Select(GoValue.Key).ToHashSet(StringComparer.Ordinal);
            var after = modified.Select(GoValue.Key).ToHashSet(StringComparer.Ordinal);
            var additions = modified.Where(item => !before.Contains(GoValue.Key(item))).Select(item => item?.DeepClone()).ToList();
            var deletions = Distinct(original.Where(item => !after.Contains(GoValue.Key(item)))).Select(item => item?.DeepClone()).ToList();
            var order = deletions.Count > 0 || !GoValue.Equal(original, modified)
                ? modified.Select(item => item?.DeepClone()).ToList()
                : [];
            return (additions, deletions, order);
        }

        var originalByKey = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in original)
        {
            originalByKey.TryAdd(GoValue.Key(KeyOf(item, mergeKey)), (JsonObject)item!);
        }

        var modifiedKeys = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<JsonNode?>();
        var elementSchema = Element(field);
        foreach (var item in modified)
        {
            var keyValue = KeyOf(item, mergeKey);
            var key = GoValue.Key(keyValue);
            modifiedKeys.Add(key);
            if (!originalByKey.TryGetValue(key, out var before))
            {
                changes.Add(item!.DeepClone());
                continue;
            }

            var nested = DiffMaps(before, (JsonObject)item!, elementSchema, buildRetainKeys);
            if (nested.Count > 0)
            {
                var change = new JsonObject { [mergeKey] = keyValue?.DeepClone() };
                foreach (var (k, v) in nested)
                {
                    change[k] = v?.DeepClone();
                }

                changes.Add(change);
            }
        }

        var orderSame = original.Count == modified.Count &&
            original.Zip(modified).All(p => GoValue.Equal(KeyOf(p.First, mergeKey), KeyOf(p.Second, mergeKey)));
        foreach (var item in original)
        {
            var keyValue = KeyOf(item, mergeKey);
            if (!modifiedKeys.Contains(GoValue.Key(keyValue)))
            {
                changes.Add(new JsonObject { [mergeKey] = keyValue?.DeepClone(), [PatchDirective] = DeleteDirective });
                modifiedKeys.Add(GoValue.Key(keyValue));
            }
        }

        var setOrder = changes.Count > 0 || !orderSame
            ? modified.Select(item => (JsonNode?)new JsonObject { [mergeKey] = KeyOf(item, mergeKey)?.DeepClone() }).ToList()
            : [];
        return (changes, [], setOrder);
    }

    /// <summary>The merge key's value of a merged list element; upstream's error when it is not a map with that key.</summary>
    private static JsonNode? KeyOf(JsonNode? item, string mergeKey)
    {
        var element = item as JsonObject ?? throw BadArgType(MapType, item);
        return element.TryGetPropertyValue(mergeKey, out var value) ? value : throw NoMergeKey(element, mergeKey);
    }
}
