using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>
/// Secrets (v1): keys are config keys, decoded data 1 MiB at most, the well-known types carry their required keys,
/// type and immutable data stay fixed. <c>stringData</c> must already have been merged into <c>data</c> (defaulting).
/// </summary>
public sealed class SecretValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        var dataPath = FieldPath.Root("data");
        var data = JsonAccess.Obj(obj, "data") ?? [];
        long total = 0;
        foreach (var (key, value) in data)
        {
            errs.AddRange(FormatRules.ConfigMapKey(key).Select(m => FieldError.Invalid(dataPath.Key(key), key, m)));
            total += DecodedLength(JsonAccess.AsString(value));
        }

        if (total > ConfigMapValidator.MaxSize)
        {
            errs.Add(FieldError.TooLong(dataPath, ConfigMapValidator.MaxSize));
        }

        switch (JsonAccess.Str(obj, "type"))
        {
            case "kubernetes.io/service-account-token":
                if (JsonAccess.Str(JsonAccess.Obj(JsonAccess.Obj(obj, "metadata"), "annotations"), "kubernetes.io/service-account.name").Length == 0)
                {
                    errs.Add(FieldError.Required(MetadataPath.Child("annotations").Key("kubernetes.io/service-account.name")));
                }

                break;
            case "kubernetes.io/dockercfg":
                errs.AddRange(RequireJsonKey(data, ".dockercfg", dataPath));
                break;
            case "kubernetes.io/dockerconfigjson":
                errs.AddRange(RequireJsonKey(data, ".dockerconfigjson", dataPath));
                break;
            case "kubernetes.io/basic-auth":
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errs.Add(FieldError.Required(dataPath.Key("username")));
                    errs.Add(FieldError.Required(dataPath.Key("password")));
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (DecodedLength(JsonAccess.Str(data, "ssh-privatekey")) == 0)
                {
                    errs.Add(FieldError.Required(dataPath.Key("ssh-privatekey")));
                }

                break;
            case "kubernetes.io/tls":
                if (!data.ContainsKey("tls.crt"))
                {
                    errs.Add(FieldError.Required(dataPath.Key("tls.crt")));
                }

                if (!data.ContainsKey("tls.key"))
                {
                    errs.Add(FieldError.Required(dataPath.Key("tls.key")));
                }

                break;
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(CommonRules.Immutable(obj["type"] ?? "", old["type"] ?? "", FieldPath.Root("type")));
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
        }

        errs.AddRange(ValidateCreate(obj));
        return errs;
    }

    /// <summary>The byte length of base64 data (0 when absent or malformed).</summary>
    internal static long DecodedLength(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return 0;
        }

        var length = base64.Length - base64.Count(c => c is '\r' or '\n');
        var padding = base64.EndsWith("==", StringComparison.Ordinal) ? 2 : base64.EndsWith('=') ? 1 : 0;
        return Math.Max(0, (length / 4 * 3) - padding + (length % 4 == 0 ? 0 : (length % 4) - 1));
    }

    private static FieldErrorList RequireJsonKey(JsonObject data, string key, FieldPath dataPath)
    {
        if (!data.ContainsKey(key))
        {
            return [FieldError.Required(dataPath.Key(key))];
        }

        try
        {
            var bytes = Convert.FromBase64String(JsonAccess.Str(data, key));
            if (JsonNode.Parse(bytes) is not JsonObject)
            {
                return [FieldError.Invalid(dataPath.Key(key), "<secret contents redacted>", "json: cannot unmarshal value into Go value of type map[string]interface {}")];
            }
        }
        catch (JsonException)
        {
            return [FieldError.Invalid(dataPath.Key(key), "<secret contents redacted>", "invalid character looking for beginning of value")];
        }
        catch (FormatException)
        {
            // Malformed base64 is reported by the schema check.
        }

        return [];
    }
}
