using System.Text.Json.Nodes;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>ServiceAccounts (v1): metadata only; names are DNS-1123 subdomains.</summary>
public sealed class ServiceAccountValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj) => Meta(obj);

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(Meta(obj));
        return errs;
    }
}
