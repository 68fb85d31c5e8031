using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Patching;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.Api.Yaml;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Http;
using YamlDotNet.Core;

namespace Korral.ApiServer.Adapters;

/// <summary>The four Kubernetes patch types over Korral.Api's patch engines.</summary>
public sealed class Patcher(ISchemaCatalog schemas) : IPatcher
{
    public const string JsonPatchType = "application/json-patch+json";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicMergePatchType = "application/strategic-merge-patch+json";
    public const string ApplyPatchType = "application/apply-patch+yaml";

    private readonly StrategicMergePatch _strategic = new(schemas);

    public IReadOnlyList<string> SupportedTypes { get; } = [JsonPatchType, MergePatchType, StrategicMergePatchType, ApplyPatchType];

    public JsonObject Apply(ResourceInfo resource, JsonObject? current, string patchType, byte[] patch, PatchContext context)
    {
        try
        {
            JsonNode? result = patchType switch
            {
                JsonPatchType => JsonPatch.Apply(current, Parse(patch)),
                MergePatchType => MergePatch.Apply(current, Parse(patch) is JsonObject merge
                    ? merge
                    : throw new PatchException("Invalid JSON Patch", malformed: true)),
                StrategicMergePatchType => _strategic.Apply(current ?? new JsonObject(), ParseObject(patch), resource.SchemaName),
                ApplyPatchType => ApplyConfiguration(resource, current, patch),
                _ => throw ApiErrors.UnsupportedMediaType(patchType),
            };
            return result as JsonObject ?? throw new PatchException("the patch produced something that is not an object");
        }
        catch (PatchException e)
        {
            // Upstream answers malformed patches 400, patches that do not apply 422 (its fixed message, the detail as a
            // cause), and the rest of the strategic-merge failures 500 without a reason.
            throw e.Kind switch
            {
                PatchErrorKind.Malformed => ApiErrors.BadRequest(e.Message),
                PatchErrorKind.Unprocessable => new ApiException(422, "Invalid", e.StatusMessage,
                    causes: [new StatusCause("FieldValueInvalid", e.Message, null)]),
                _ => new ApiException(500, "", e.Message),
            };
        }
    }

    /// <summary>
    /// Server-side apply: the applied configuration merged over the live object with the kind's merge rules
    /// (field ownership and conflict detection come with the field manager).
    /// </summary>
    private JsonObject ApplyConfiguration(ResourceInfo resource, JsonObject? current, byte[] patch)
    {
        JsonNode? applied;
        try
        {
            applied = YamlJson.Parse(Encoding.UTF8.GetString(patch));
        }
        catch (YamlException e)
        {
            throw new PatchException($"error decoding YAML: {e.Message}", malformed: true);
        }

        if (applied is not JsonObject config)
        {
            throw new PatchException("the applied configuration must be an object", malformed: true);
        }

        var apiVersion = (string?)config["apiVersion"];
        var kind = (string?)config["kind"];
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw new PatchException("invalid object type: apiVersion and kind must be set in an applied configuration", malformed: true);
        }

        return current is null ? config : _strategic.Apply(current, config, resource.SchemaName);
    }

    private static JsonNode? Parse(byte[] patch)
    {
        try
        {
            return JsonNode.Parse(patch);
        }
        catch (JsonException e)
        {
            throw new PatchException($"error decoding patch: {e.Message}", malformed: true);
        }
    }

    private static JsonObject ParseObject(byte[] patch) =>
        Parse(patch) as JsonObject ?? throw new PatchException("the patch must be a JSON object", malformed: true);
}
