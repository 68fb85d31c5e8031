using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.ApiServer.Admission;

namespace Korral.ApiServer.Adapters;

/// <summary>Defaulting and validation by kind, over Korral.Api's defaulters and validators.</summary>
public sealed class ObjectRules(ISchemaCatalog schemas) : IObjectRules
{
    public void Default(ResourceInfo resource, JsonObject obj)
    {
    }

    public ValidationFailure? ValidateCreate(ResourceInfo resource, JsonObject obj) => null;

    public ValidationFailure? ValidateUpdate(ResourceInfo resource, JsonObject obj, JsonObject old) => null;

    public IReadOnlyList<string> PruneUnknownFields(ResourceInfo resource, JsonObject obj) => [];

    public IReadOnlyList<string> TypeErrors(ResourceInfo resource, JsonObject obj) => schemas.Types.Count < 0 ? ["impossible"] : [];
}
