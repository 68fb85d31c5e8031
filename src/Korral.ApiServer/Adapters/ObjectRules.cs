using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.Api.Validation;
using Korral.Api.Validation.Structure;
using Korral.ApiServer.Admission;
using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Adapters;

/// <summary>Defaulting and validation by kind, over Korral.Api's defaulters, validators and schema checks.</summary>
public sealed class ObjectRules(ISchemaCatalog schemas) : IObjectRules
{
    private readonly SchemaValidator _schema = new(schemas);
    private readonly ObjectDefaulterRegistry _defaulters = ObjectDefaulterRegistry.Default;
    private readonly ObjectValidatorRegistry _validators = ObjectValidatorRegistry.Default;

    public void PrepareForCreate(ResourceInfo resource, JsonObject obj)
    {
        _defaulters.PrepareForCreate(obj, resource.Group, resource.Kind);
        if (resource.Group == "batch" && resource.Kind == "Job" && obj["metadata"]?["uid"] is JsonValue uid)
        {
            JobDefaults.GenerateSelector(obj, (string?)uid ?? "");
        }
    }

    public void Default(ResourceInfo resource, JsonObject obj)
    {
        _defaulters.ApplyDefaults(obj, resource.Group, resource.Kind);
        if (schemas.FindByKind(resource.GroupVersionKind) is not null)
        {
            _schema.CanonicalizeQuantities(obj, resource.GroupVersionKind);
        }
    }

    public ValidationFailure? ValidateCreate(ResourceInfo resource, JsonObject obj) =>
        Failure(Validator(resource).ValidateCreate(obj));

    public ValidationFailure? ValidateUpdate(ResourceInfo resource, JsonObject obj, JsonObject old, string subresource)
    {
        var validator = Validator(resource);
        return Failure(subresource == "status" ? validator.ValidateStatusUpdate(obj, old) : validator.ValidateUpdate(obj, old));
    }

    public IReadOnlyList<string> PruneUnknownFields(ResourceInfo resource, JsonObject obj)
    {
        if (schemas.FindByKind(resource.GroupVersionKind) is null)
        {
            return [];
        }

        var unknown = _schema.Check(obj, resource.GroupVersionKind).UnknownFields;
        if (unknown.Count > 0)
        {
            _schema.PruneUnknownFields(obj, resource.GroupVersionKind);
        }

        return unknown;
    }

    public IReadOnlyList<string> TypeErrors(ResourceInfo resource, JsonObject obj)
    {
        if (schemas.FindByKind(resource.GroupVersionKind) is null)
        {
            return [];
        }

        return _schema.Check(obj, resource.GroupVersionKind).DecodeErrors.Select(e => e.Message).ToList();
    }

    private IObjectValidator Validator(ResourceInfo resource) => _validators.Get(resource.Group, resource.Kind, resource.Namespaced);

    private static ValidationFailure? Failure(FieldErrorList errors) =>
        errors.IsEmpty
            ? null
            : new ValidationFailure(errors.ToAggregateString(), errors.Causes.Select(c => new StatusCause(c.Reason, c.Message, c.Field)).ToList());
}
