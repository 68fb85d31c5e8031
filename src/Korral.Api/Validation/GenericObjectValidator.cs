using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation;

/// <summary>
/// Metadata-only validation for kinds without their own rules (custom resources, minor built-ins): the name must be a
/// DNS-1123 subdomain (or what <see cref="NameRule"/> says) and labels, annotations, owners and finalizers well formed.
/// </summary>
public sealed class GenericObjectValidator : ObjectValidator
{
    private readonly NameValidator nameRule;

    public GenericObjectValidator(bool namespaced, NameValidator? nameRule = null)
    {
        Namespaced = namespaced;
        this.nameRule = nameRule ?? NameRules.NameIsDnsSubdomain;
    }

    public override bool Namespaced { get; }

    public override NameValidator NameRule => nameRule;

    public override FieldErrorList ValidateCreate(JsonObject obj) => Meta(obj);

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old) => MetaUpdate(obj, old);
}
