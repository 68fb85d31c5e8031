using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Korral.Api.Patching;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.Api.Yaml;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Http;
using YamlDotNet.Core;

namespace Korral.ApiServer.Adapters;

/// <summary>The four Kubernetes patch types over Korral.Api's patch engines.</summary>
public sealed class Patcher(ISchemaCatalog schemas, FieldManager fieldManager) : IPatcher
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
                ApplyPatchType => ApplyConfiguration(resource, current, patch, context),
                _ => throw ApiErrors.UnsupportedMediaType(patchType),
            };
            return result as JsonObject ?? throw new PatchException("the patch produced something that is not an object");
        }
        catch (FieldConflictException e)
        {
            throw new ApiException(409, "Conflict", e.Message, causes:
                e.Conflicts.Select(c => new StatusCause(FieldConflictException.CauseReason, c.CauseMessage, c.Path.ToString())).ToList());
        }
        catch (ApplyException e)
        {
            throw new ApiException(e.Code, e.Reason, e.Message);
        }
        catch (PatchException e)
        {
            // Upstream answers malformed patches 400, patches that do not apply 422 (with its fixed message only), and the
            // rest of the strategic-merge failures 500 without a reason.
            throw e.Kind switch
            {
                PatchErrorKind.Malformed => ApiErrors.BadRequest(e.Message),
                PatchErrorKind.Unprocessable => new ApiException(422, "Invalid", e.StatusMessage),
                _ => new ApiException(500, "", e.Message),
            };
        }
    }

    /// <summary>
    /// Server-side apply: the applied configuration merged into the live object by the field manager, which owns the
    /// fields per manager, removes what the applier no longer sets and reports conflicts with other managers.
    /// </summary>
    private JsonObject ApplyConfiguration(ResourceInfo resource, JsonObject? current, byte[] patch, PatchContext context)
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

        var applyContext = new ApplyContext(resource.GroupVersionKind)
        {
            Subresource = context.Subresource is { Length: > 0 } s ? s : null,
            ResetFields = Registry.ResourceStore.ResetFieldsFor(resource, context.Subresource),
            Schemas = schemas,
        };
        return fieldManager.Apply(current, config, context.FieldManager ?? "", context.Force, applyContext);
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
