using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) as kube-apiserver 1.33 applies it, driven by
/// the schema's patch metadata (x-kubernetes-patch-strategy and -merge-key).
/// </summary>
/// <remarks>
/// <para>Maps merge and a <c>null</c> member deletes. Lists whose strategy is <c>merge</c> merge element by element on
/// their merge key (containers by name, ports by containerPort…), or are set unions when they hold scalars
/// (finalizers); other lists, and fields whose strategy is <c>replace</c>, take the patch value whole. Scalars,
/// int-or-string and quantity fields are plain values. Fields the schema does not know, <c>Any</c> fields and kinds
/// without a schema (<c>schemaName</c> null) behave like a JSON merge patch that still honours the directives.
/// Upstream refuses strategic merge patches for custom resources (415); that is the API server's check.</para>
/// <para>Directives: <c>$patch: replace</c> and <c>$patch: delete</c> on a map (delete leaves an empty map);
/// <c>{"$patch": "delete", key: v}</c> in a merged list removes that element; any element carrying
/// <c>$patch: replace</c> makes the list exactly the patch's other elements; <c>$patch: merge</c> is refused
/// (upstream never implemented it); <c>$retainKeys</c>; <c>$setElementOrder/&lt;list&gt;</c>;
/// <c>$deleteFromPrimitiveList/&lt;list&gt;</c>.</para>
/// <para>Order: without <c>$setElementOrder</c>, elements named in the patch follow the patch's order, the others keep
/// the original order, and the two are interleaved by their original positions, so a new element comes before the
/// original elements that follow it (a lone new container goes first). <c>$setElementOrder</c> orders the elements
/// it names; the rest keep their original places relative to them.</para>
/// <para>Upstream quirks kept on purpose: a new list element is copied as the patch has it (nested directives and
/// nulls included, for the decoder to reject or drop); a new map or list field has its nulls and <c>$patch</c> maps
/// dropped. Deliberate differences: unknown fields and <c>Any</c> fields merge as plain maps, and object values of
/// maps merge with their schema (upstream fails both with a 500).</para>
/// <para>Errors carry upstream's messages and statuses (see <see cref="PatchErrorKind"/>). The patch is never
/// modified; <c>original</c> is modified in place (pass a copy) and is usually the returned object.</para>
/// </remarks>
public sealed partial class StrategicMergePatch(ISchemaCatalog schemas)
{
    private const string PatchDirective = "$patch";
    private const string DeleteDirective = "delete";
    private const string ReplaceDirective = "replace";
    private const string MergeDirective = "merge";
    private const string RetainKeysStrategy = "retainKeys";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="original"/>, an object of definition
    /// <paramref name="schemaName"/> ("io.k8s.api.apps.v1.Deployment"; null for no schema).
    /// </summary>
    public JsonObject Apply(JsonObject original, JsonObject patch, string? schemaName) => MergeMap(original, patch, Root(schemaName));

    private JsonObject MergeMap(JsonObject original, JsonObject patch, Node schema)
    {
        if (patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            if (IsString(directive, ReplaceDirective))
            {
                // The patch, as it is, in place of the map.
                var replacement = new JsonObject();
                foreach (var (key, value) in patch)
                {
                    if (key != PatchDirective)
                    {
                        replacement[key] = value?.DeepClone();
                    }
                }

                return replacement;
            }

            return IsString(directive, DeleteDirective) ? [] : throw BadPatchType(directive, patch);
        }

        var consumed = new HashSet<string>(StringComparer.Ordinal);
        if (patch.TryGetPropertyValue(RetainKeysDirective, out var retainKeys))
        {
            consumed.Add(RetainKeysDirective);
            ApplyRetainKeys(original, patch, retainKeys);
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                ApplySetElementOrder(original, patch, key, value, schema, consumed);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (!consumed.Contains(key))
            {
                MergeField(original, key, value, schema);
            }
        }

        return original;
    }

    private void MergeField(JsonObject original, string key, JsonNode? value, Node schema)
    {
        var target = key;
        var isDeleteList = key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);
        if (isDeleteList)
        {
            target = ExtractKey(key, DeleteFromPrimitiveListPrefix, PrimitiveListFormat);
        }

        if (value is null)
        {
            original.Remove(target);
            return;
        }

        if (!original.TryGetPropertyValue(target, out var current) || GoValue.TypeOf(current) != GoValue.TypeOf(value))
        {
            // Not there, or of another type: the patch value, without its nulls and $patch maps.
            if (!isDeleteList)
            {
                SetNew(original, target, value);
            }

            return;
        }

        switch (value)
        {
            case JsonObject patchObject:
            {
                var field = schema.Lookup(target);
                var (_, strategy) = Strategies(field);
                Put(original, target, strategy == ReplaceDirective
                    ? patchObject.DeepClone()
                    : MergeMap((JsonObject)current!, patchObject, Child(field)));
                break;
            }

            case JsonArray patchList:
            {
                var field = schema.Lookup(target);
                var (_, strategy) = Strategies(field);
                var merged = MergeSliceHandler(TakeItems((JsonArray)current!), patchList, field, strategy, isDeleteList, trace: null);
                Put(original, target, new JsonArray([.. merged]));
                break;
            }

            default:
                Put(original, target, value.DeepClone());
                break;
        }
    }

    /// <summary>
    /// <c>$retainKeys</c>: every key of the patch (but nulls and parallel lists) must be listed, and the original loses
    /// the keys that are not, before the merge.
    /// </summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch, JsonNode? retainKeys)
    {
        if (retainKeys is not JsonArray list)
        {
            throw Malformed(RetainKeysFormat);
        }

        var keep = list.Where(k => GoValue.TypeOf(k) == GoValue.GoType.String).Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (key == RetainKeysDirective || value is null ||
                key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) ||
                key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!keep.Contains(key))
            {
                throw Malformed(RetainKeysFormat);
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>Sets a value the original did not have (or had with another type), as upstream does.</summary>
    private static void SetNew(JsonObject original, string key, JsonNode value)
    {
        var copy = value.DeepClone();
        DiscardNulls(copy);
        if (RemoveDirectives(copy, out var kept))
        {
            Put(original, key, kept);
        }
        else
        {
            original.Remove(key);
        }
    }

    /// <summary>Drops null object members at any depth (null list elements stay).</summary>
    private static void DiscardNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    DiscardNulls(value);
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    DiscardNulls(item);
                }

                break;
        }
    }

    /// <summary>
    /// Drops every map that carries <c>$patch</c> (from its parent map or list); false when
    /// <paramref name="node"/> itself is one. Works in place on a copy.
    /// </summary>
    private static bool RemoveDirectives(JsonNode? node, out JsonNode? result)
    {
        result = node;
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey(PatchDirective))
                {
                    result = null;
                    return false;
                }

                foreach (var (key, value) in obj.ToList())
                {
                    if (!RemoveDirectives(value, out _))
                    {
                        obj.Remove(key);
                    }
                }

                return true;
            case JsonArray list:
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (!RemoveDirectives(list[i], out _))
                    {
                        list.RemoveAt(i);
                    }
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>The key after <c>prefix/</c>; the malformed-patch error when the key is not exactly that shape.</summary>
    private static string ExtractKey(string key, string prefix, string error)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && key.AsSpan(0, slash).SequenceEqual(prefix) ? key[(slash + 1)..] : throw Malformed(error);
    }

    /// <summary>Sets a member unless it already is that very node.</summary>
    private static void Put(JsonObject obj, string key, JsonNode? value)
    {
        if (value is not null && obj.TryGetPropertyValue(key, out var existing) && ReferenceEquals(existing, value))
        {
            return;
        }

        obj[key] = value;
    }

    /// <summary>The list's elements, detached from it so that they can move to the merged list.</summary>
    private static List<JsonNode?> TakeItems(JsonArray list)
    {
        var items = list.ToList();
        list.Clear();
        return items;
    }

    private static bool IsString(JsonNode? node, string value) =>
        GoValue.TypeOf(node) == GoValue.GoType.String && node!.GetValue<string>() == value;
}
