using System.Text.Json.Nodes;

namespace Korral.Api.Patching;

/// <summary>
/// JSON Merge Patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch v4): objects merge recursively, a
/// <c>null</c> member removes the key, anything else replaces the target value.
/// </summary>
/// <remarks>
/// <para>One upstream detail beyond the RFC: a value that lands where the target had no object (a new key, or a
/// scalar or list being replaced by an object) is copied with its nulls pruned, and that pruning also drops null list
/// elements; a list replacing a list is copied as it is. The RFC's own examples all come out the same.</para>
/// <para>The API server accepts only an object as a merge patch body (upstream answers anything else with 400
/// <c>Invalid JSON Patch</c>); <see cref="Apply"/> itself follows the RFC there: a non-object patch is the result.</para>
/// <para>The patch is never modified; the target may be modified in place and is usually the returned node.</para>
/// </remarks>
public static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> and returns the result.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return Pruned(patch);
        }

        if (target is not JsonObject targetObject)
        {
            return Pruned(patchObject);
        }

        MergeInto(targetObject, patchObject);
        return targetObject;
    }

    /// <summary>
    /// A merge patch that turns <paramref name="original"/> into <paramref name="target"/>: changed and new members,
    /// removed ones as <c>null</c>, objects compared member by member, lists and scalars as whole values. Applying it
    /// to <paramref name="original"/> gives <paramref name="target"/> whenever <paramref name="target"/> holds no
    /// nulls (a null member cannot be expressed: it reads as "remove"). Neither input is modified.
    /// </summary>
    public static JsonNode? CreateMergePatch(JsonNode? original, JsonNode? target) =>
        original is JsonObject a && target is JsonObject b ? Diff(a, b) : target?.DeepClone();

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (!target.TryGetPropertyValue(key, out var current))
            {
                target[key] = Pruned(value);
            }
            else if (current is JsonObject currentObject && value is JsonObject valueObject)
            {
                MergeInto(currentObject, valueObject);
            }
            else
            {
                // Upstream prunes the nulls of a value replacing a non-object, and keeps a non-object replacing an object as is.
                target[key] = current is JsonObject ? value.DeepClone() : Pruned(value);
            }
        }
    }

    /// <summary>A copy without null object members or null list elements, at any depth.</summary>
    private static JsonNode? Pruned(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
            {
                var copy = new JsonObject();
                foreach (var (key, member) in obj)
                {
                    if (member is not null)
                    {
                        copy[key] = Pruned(member);
                    }
                }

                return copy;
            }

            case JsonArray list:
            {
                var copy = new JsonArray();
                foreach (var item in list)
                {
                    if (item is not null)
                    {
                        copy.Add(Pruned(item));
                    }
                }

                return copy;
            }

            default:
                return value?.DeepClone();
        }
    }

    private static JsonObject Diff(JsonObject original, JsonObject target)
    {
        var patch = new JsonObject();
        foreach (var (key, after) in target)
        {
            if (!original.TryGetPropertyValue(key, out var before))
            {
                patch[key] = after?.DeepClone();
            }
            else if (before is JsonObject beforeObject && after is JsonObject afterObject)
            {
                var nested = Diff(beforeObject, afterObject);
                if (nested.Count > 0)
                {
                    patch[key] = nested;
                }
            }
            else if (!JsonEquality.Equal(before, after))
            {
                patch[key] = after?.DeepClone();
            }
        }

        foreach (var (key, _) in original)
        {
            if (!target.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }
}
