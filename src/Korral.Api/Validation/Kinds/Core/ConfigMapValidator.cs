using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>ConfigMaps (v1): keys are config keys, unique across data and binaryData, 1 MiB in total; immutable ones stay so.</summary>
public sealed class ConfigMapValidator : ObjectValidator
{
    /// <summary>The size limit of a ConfigMap's or Secret's data, 1 MiB.</summary>
    public const int MaxSize = 1024 * 1024;

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        long total = 0;
        var binary = JsonAccess.Obj(obj, "binaryData");
        foreach (var (key, value) in JsonAccess.Obj(obj, "data") ?? [])
        {
            errs.AddRange(FormatRules.ConfigMapKey(key).Select(m => FieldError.Invalid(FieldPath.Root("data").Key(key), key, m)));
            if (binary?.ContainsKey(key) == true)
            {
                errs.Add(FieldError.Invalid(FieldPath.Root("data").Key(key), key, "duplicate of key present in binaryData"));
            }

            total += Encoding.UTF8.GetByteCount(JsonAccess.AsString(value) ?? "");
        }

        foreach (var (key, value) in binary ?? [])
        {
            errs.AddRange(FormatRules.ConfigMapKey(key).Select(m => FieldError.Invalid(FieldPath.Root("binaryData").Key(key), key, m)));
            total += SecretValidator.DecodedLength(JsonAccess.AsString(value));
        }

        if (total > MaxSize)
        {
            errs.Add(FieldError.TooLong(FieldPath.Empty, MaxSize));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        if (JsonAccess.Bool(old, "immutable") == true)
        {
            if (JsonAccess.Bool(obj, "immutable") != true)
            {
                errs.Add(FieldError.Forbidden(FieldPath.Root("immutable"), "field is immutable when `immutable` is set"));
            }

            if (!JsonAccess.SemanticEquals(obj["data"], old["data"]))
            {
                errs.Add(FieldError.Forbidden(FieldPath.Root("data"), "field is immutable when `immutable` is set"));
            }

            if (!JsonAccess.SemanticEquals(obj["binaryData"], old["binaryData"]))
            {
                errs.Add(FieldError.Forbidden(FieldPath.Root("binaryData"), "field is immutable when `immutable` is set"));
            }
        }

        errs.AddRange(ValidateCreate(obj));
        return errs;
    }
}
