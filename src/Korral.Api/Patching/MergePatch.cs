using System.Text.Json.Nodes;

namespace Korral.Api.Patching;

/// <summary>JSON Merge Patch (RFC 7386): objects merge recursively, null removes, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Apply(result[key], value);
            result.Remove(key);
            result[key] = merged;
        }

        return result;
    }
}
