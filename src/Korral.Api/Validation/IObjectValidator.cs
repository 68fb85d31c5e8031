using System.Text.Json.Nodes;

namespace Korral.Api.Validation;

/// <summary>
/// The rules of one kind that the schema cannot say (upstream's <c>ValidateX</c> / <c>ValidateXUpdate</c>). Runs on
/// the defaulted object; returns field errors, never throws. An empty list means valid.
/// </summary>
public interface IObjectValidator
{
    /// <summary>Validates a new object (metadata and spec).</summary>
    FieldErrorList ValidateCreate(JsonObject obj);

    /// <summary>Validates an update of the main resource: <paramref name="obj"/> is the new object, <paramref name="old"/> the stored one.</summary>
    FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old);

    /// <summary>Validates an update through the <c>status</c> subresource (metadata rules only unless the kind says more).</summary>
    FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old);
}
