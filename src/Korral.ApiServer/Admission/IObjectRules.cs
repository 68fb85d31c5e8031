using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Admission;

/// <summary>The outcome of validation: the rendered message (for the 422 Status) and one cause per field error.</summary>
public sealed record ValidationFailure(string Message, IReadOnlyList<StatusCause> Causes);

/// <summary>Defaulting and validation of objects, by kind (implemented over Korral.Api's defaulters and validators).</summary>
public interface IObjectRules
{
    /// <summary>Create-time state that defaulting does not give (fresh status, a Job's generated selector once its uid exists).</summary>
    void PrepareForCreate(ResourceInfo resource, JsonObject obj);

    /// <summary>Upstream's defaults, and quantities in canonical form.</summary>
    void Default(ResourceInfo resource, JsonObject obj);

    ValidationFailure? ValidateCreate(ResourceInfo resource, JsonObject obj);

    /// <summary>Validates an update; <paramref name="subresource"/> "status" uses the status rules.</summary>
    ValidationFailure? ValidateUpdate(ResourceInfo resource, JsonObject obj, JsonObject old, string subresource);

    /// <summary>
    /// Removes the fields the schema does not know (they would not survive decoding upstream) and returns their paths,
    /// e.g. "spec.foo", for fieldValidation=Strict|Warn.
    /// </summary>
    IReadOnlyList<string> PruneUnknownFields(ResourceInfo resource, JsonObject obj);

    /// <summary>Type errors the schema finds (a string where an integer belongs…), worded as upstream's decoder words them.</summary>
    IReadOnlyList<string> TypeErrors(ResourceInfo resource, JsonObject obj);
}
