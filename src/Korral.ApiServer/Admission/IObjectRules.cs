using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Admission;

/// <summary>The outcome of validation: the rendered message (for the 422 Status) and one cause per field error.</summary>
public sealed record ValidationFailure(string Message, IReadOnlyList<StatusCause> Causes);

/// <summary>Defaulting and validation of objects, by kind (implemented over Korral.Api's defaulters and validators).</summary>
public interface IObjectRules
{
    void Default(ResourceInfo resource, JsonObject obj);

    ValidationFailure? ValidateCreate(ResourceInfo resource, JsonObject obj);

    ValidationFailure? ValidateUpdate(ResourceInfo resource, JsonObject obj, JsonObject old);

    /// <summary>
    /// Removes the fields the schema does not know (they would not survive decoding upstream) and returns their paths,
    /// e.g. "spec.foo", for fieldValidation=Strict|Warn.
    /// </summary>
    IReadOnlyList<string> PruneUnknownFields(ResourceInfo resource, JsonObject obj);

    /// <summary>Type errors the schema finds (a string where an integer belongs…), rendered as upstream decodes them.</summary>
    IReadOnlyList<string> TypeErrors(ResourceInfo resource, JsonObject obj);
}
