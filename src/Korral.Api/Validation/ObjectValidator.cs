using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation;

/// <summary>
/// Base of the per-kind validators: knows whether the kind is namespaced and how its names are checked, and gives
/// the metadata checks every kind starts with.
/// </summary>
public abstract class ObjectValidator : IObjectValidator
{
    protected static readonly FieldPath MetadataPath = FieldPath.Root("metadata");
    protected static readonly FieldPath SpecPath = FieldPath.Root("spec");

    /// <summary>Whether objects live in a namespace (metadata.namespace required) or are cluster-scoped (forbidden).</summary>
    public abstract bool Namespaced { get; }

    /// <summary>The rule for <c>metadata.name</c> (most kinds: DNS-1123 subdomain).</summary>
    public virtual NameValidator NameRule => NameRules.NameIsDnsSubdomain;

    public abstract FieldErrorList ValidateCreate(JsonObject obj);

    public abstract FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old);

    public virtual FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old) => MetaUpdate(obj, old);

    /// <summary><c>metadata</c> checks on create.</summary>
    protected FieldErrorList Meta(JsonObject obj) =>
        ObjectMetaRules.ValidateObjectMeta(JsonAccess.Obj(obj, "metadata"), Namespaced, NameRule, MetadataPath);

    /// <summary><c>metadata</c> checks on update.</summary>
    protected static FieldErrorList MetaUpdate(JsonObject obj, JsonObject old) =>
        ObjectMetaRules.ValidateObjectMetaUpdate(JsonAccess.Obj(obj, "metadata"), JsonAccess.Obj(old, "metadata"), MetadataPath);

    protected static JsonObject Spec(JsonObject obj) => JsonAccess.Obj(obj, "spec") ?? [];
}
