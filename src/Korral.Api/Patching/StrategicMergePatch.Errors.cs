using System.Text.Json.Nodes;

namespace Korral.Api.Patching;

/// <summary>Upstream's strategic merge patch errors (apimachinery mergepatch and strategicpatch), word for word.</summary>
public sealed partial class StrategicMergePatch
{
    private const string PrimitiveListFormat = "invalid patch format of primitive list";
    private const string RetainKeysFormat = "invalid patch format of retainKeys";
    private const string SetElementOrderFormat = "invalid patch format of setElementOrder list";
    private const string MapType = "map[string]interface {}";
    private const string SliceType = "[]interface {}";

    /// <summary>The three malformed-format errors are the only ones upstream turns into 400 BadRequest.</summary>
    private static PatchException Malformed(string message) => new(message, PatchErrorKind.Malformed);

    /// <summary>Plain errors, which upstream answers with 500 and no reason.</summary>
    private static PatchException ServerError(string message) => new(message, PatchErrorKind.ServerError);

    private static PatchException NoListOfLists() => new("lists of lists are not supported", PatchErrorKind.Unprocessable);

    private static PatchException NoMergeKey(JsonNode? map, string mergeKey) =>
        ServerError($"map: {GoValue.V(map)} does not contain declared merge key: {mergeKey}");

    private static PatchException BadArgType(string expected, JsonNode? actual) =>
        ServerError($"expected a {expected}, but received a {GoValue.TypeName(actual)}");

    private static PatchException BadPatchType(JsonNode? directive, JsonObject map) =>
        ServerError($"unknown patch type: {GoValue.S(directive)} in map: {GoValue.V(map)}");
}
