using System.Text;
using System.Text.Json.Nodes;

namespace Korral.Api.Validation.Rules;

/// <summary>
/// Upstream's checks of <c>metadata</c>: names and generateName, namespace scoping, labels, annotations (256 KiB),
/// owner references, finalizers; plus label selectors. Server-managed fields (uid, resourceVersion, generation,
/// timestamps) are left to the server.
/// </summary>
public static class ObjectMetaRules
{
    /// <summary>The total size allowed for all annotation keys and values, 256 KiB.</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private static readonly HashSet<string> StandardFinalizers = new(StringComparer.Ordinal) { "kubernetes", "orphan", "foregroundDeletion" };

    /// <summary>Validates metadata on create; generateName is expected to have produced a name already.</summary>
    public static FieldErrorList ValidateObjectMeta(JsonObject? meta, bool requiresNamespace, NameValidator nameFn, FieldPath path)
    {
        var errs = new FieldErrorList();
        var generateName = JsonAccess.Str(meta, "generateName");
        if (generateName.Length != 0)
        {
            foreach (var msg in nameFn(generateName, true))
            {
                errs.Add(FieldError.Invalid(path.Child("generateName"), generateName, msg));
            }
        }

        var name = JsonAccess.Str(meta, "name");
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name"), "name or generateName is required"));
        }
        else
        {
            foreach (var msg in nameFn(name, false))
            {
                errs.Add(FieldError.Invalid(path.Child("name"), name, msg));
            }
        }

        var ns = JsonAccess.Str(meta, "namespace");
        if (requiresNamespace)
        {
            if (ns.Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("namespace")));
            }
            else
            {
                foreach (var msg in NameRules.NameIsDnsLabel(ns, false))
                {
                    errs.Add(FieldError.Invalid(path.Child("namespace"), ns, msg));
                }
            }
        }
        else if (ns.Length != 0)
        {
            errs.Add(FieldError.Forbidden(path.Child("namespace"), "not allowed on this type"));
        }

        errs.AddRange(ValidateLabels(JsonAccess.Get(meta, "labels"), path.Child("labels")));
        errs.AddRange(ValidateAnnotations(JsonAccess.Get(meta, "annotations"), path.Child("annotations")));
        errs.AddRange(ValidateOwnerReferences(JsonAccess.Arr(meta, "ownerReferences"), path.Child("ownerReferences")));
        errs.AddRange(ValidateFinalizers(JsonAccess.Arr(meta, "finalizers"), path.Child("finalizers")));
        return errs;
    }

    /// <summary>
    /// Validates metadata on update: name and namespace immutable, no finalizers added while deleting, labels,
    /// annotations, owner references and finalizers well-formed.
    /// </summary>
    public static FieldErrorList ValidateObjectMetaUpdate(JsonObject? newMeta, JsonObject? oldMeta, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Has(oldMeta, "deletionTimestamp"))
        {
            var old = new HashSet<string>(JsonAccess.StringList(JsonAccess.Get(oldMeta, "finalizers")) ?? [], StringComparer.Ordinal);
            var added = (JsonAccess.StringList(JsonAccess.Get(newMeta, "finalizers")) ?? [])
                .Where(f => !old.Contains(f)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                errs.Add(FieldError.Forbidden(path.Child("finalizers"),
                    "no new finalizers can be added if the object is being deleted, found new finalizers " + GoSyntax.StringSlice(added)));
            }
        }

        errs.AddRange(CommonRules.Immutable(JsonAccess.Get(newMeta, "name") ?? "", JsonAccess.Get(oldMeta, "name") ?? "", path.Child("name")));
        errs.AddRange(CommonRules.Immutable(JsonAccess.Get(newMeta, "namespace") ?? "", JsonAccess.Get(oldMeta, "namespace") ?? "", path.Child("namespace")));
        errs.AddRange(ValidateLabels(JsonAccess.Get(newMeta, "labels"), path.Child("labels")));
        errs.AddRange(ValidateAnnotations(JsonAccess.Get(newMeta, "annotations"), path.Child("annotations")));
        errs.AddRange(ValidateOwnerReferences(JsonAccess.Arr(newMeta, "ownerReferences"), path.Child("ownerReferences")));
        foreach (var (i, finalizer) in Indexed(JsonAccess.StringList(JsonAccess.Get(newMeta, "finalizers"))))
        {
            errs.AddRange(ValidateKubeFinalizerName(finalizer, path.Child("finalizers").Index(i)));
        }

        return errs;
    }

    /// <summary>Label keys must be qualified names and values valid label values; errors point at the map itself.</summary>
    public static FieldErrorList ValidateLabels(JsonNode? labels, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (labels is not JsonObject map)
        {
            return errs;
        }

        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            errs.AddRange(ValidateLabelName(key, path));
            var text = JsonAccess.AsString(value) ?? "";
            foreach (var msg in NameRules.LabelValue(text))
            {
                errs.Add(FieldError.Invalid(path, text, msg));
            }
        }

        return errs;
    }

    /// <summary>A label key (qualified name).</summary>
    public static FieldErrorList ValidateLabelName(string name, FieldPath path)
    {
        var errs = new FieldErrorList();
        foreach (var msg in NameRules.QualifiedName(name))
        {
            errs.Add(FieldError.Invalid(path, name, msg));
        }

        return errs;
    }

    /// <summary>Annotation keys are case-insensitive qualified names; keys and values total at most 256 KiB.</summary>
    public static FieldErrorList ValidateAnnotations(JsonNode? annotations, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (annotations is not JsonObject map)
        {
            return errs;
        }

        long total = 0;
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var msg in NameRules.QualifiedName(key.ToLowerInvariant()))
            {
                errs.Add(FieldError.Invalid(path, key, msg));
            }

            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(JsonAccess.AsString(value) ?? "");
        }

        if (total > TotalAnnotationSizeLimit)
        {
            errs.Add(FieldError.TooLong(path, TotalAnnotationSizeLimit));
        }

        return errs;
    }

    /// <summary>A metav1.LabelSelector: matchLabels as labels, each expression's operator, key and values.</summary>
    public static FieldErrorList ValidateLabelSelector(JsonNode? selector, FieldPath path, bool allowInvalidLabelValue = false)
    {
        var errs = new FieldErrorList();
        if (selector is not JsonObject sel)
        {
            return errs;
        }

        errs.AddRange(ValidateLabels(sel["matchLabels"], path.Child("matchLabels")));
        foreach (var (i, expr) in JsonAccess.Items(sel, "matchExpressions"))
        {
            var exprPath = path.Child("matchExpressions").Index(i);
            var op = JsonAccess.Str(expr, "operator");
            var values = JsonAccess.StringList(expr["values"]) ?? [];
            switch (op)
            {
                case "In" or "NotIn":
                    if (values.Count == 0)
                    {
                        errs.Add(FieldError.Required(exprPath.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (values.Count > 0)
                    {
                        errs.Add(FieldError.Forbidden(exprPath.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }

                    break;
                default:
                    errs.Add(FieldError.Invalid(exprPath.Child("operator"), op, "not a valid selector operator"));
                    break;
            }

            errs.AddRange(ValidateLabelName(JsonAccess.Str(expr, "key"), exprPath.Child("key")));
            if (!allowInvalidLabelValue)
            {
                for (var v = 0; v < values.Count; v++)
                {
                    foreach (var msg in NameRules.LabelValue(values[v]))
                    {
                        errs.Add(FieldError.Invalid(exprPath.Child("values").Index(v), values[v], msg));
                    }
                }
            }
        }

        return errs;
    }

    /// <summary>Owner references need apiVersion, kind, name and uid; at most one may be the controller.</summary>
    public static FieldErrorList ValidateOwnerReferences(JsonArray? refs, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (refs is null)
        {
            return errs;
        }

        string? firstController = null;
        foreach (var node in refs)
        {
            var r = node as JsonObject ?? [];
            var apiVersion = JsonAccess.Str(r, "apiVersion");
            var kind = JsonAccess.Str(r, "kind");
            var version = apiVersion.Contains('/') ? apiVersion[(apiVersion.IndexOf('/') + 1)..] : apiVersion;
            if (version.Length == 0)
            {
                errs.Add(FieldError.Invalid(path.Child("apiVersion"), apiVersion, "version must not be empty"));
            }

            if (kind.Length == 0)
            {
                errs.Add(FieldError.Invalid(path.Child("kind"), kind, "kind must not be empty"));
            }

            if (JsonAccess.Str(r, "name").Length == 0)
            {
                errs.Add(FieldError.Invalid(path.Child("name"), "", "name must not be empty"));
            }

            if (JsonAccess.Str(r, "uid").Length == 0)
            {
                errs.Add(FieldError.Invalid(path.Child("uid"), "", "uid must not be empty"));
            }

            if (apiVersion == "v1" && kind == "Event")
            {
                errs.Add(FieldError.Invalid(path, OwnerReferenceLiteral(r), "/v1, Kind=Event is disallowed from being an owner"));
            }

            if (JsonAccess.Bool(r, "controller") == true)
            {
                var current = kind + "/" + JsonAccess.Str(r, "name");
                if (firstController is not null)
                {
                    var rendered = "[]v1.OwnerReference{" + string.Join(", ", refs.Select(x => OwnerReferenceLiteral(x as JsonObject ?? []).Text)) + "}";
                    errs.Add(FieldError.Invalid(path, new GoLiteral(rendered),
                        $"Only one reference can have Controller set to true. Found \"true\" in references for {firstController} and {current}"));
                }
                else
                {
                    firstController = current;
                }
            }
        }

        return errs;
    }

    /// <summary>Finalizers must be qualified names; <c>orphan</c> and <c>foregroundDeletion</c> exclude each other.</summary>
    public static FieldErrorList ValidateFinalizers(JsonArray? finalizers, FieldPath path)
    {
        var errs = new FieldErrorList();
        var list = JsonAccess.StringList(finalizers);
        if (list is null)
        {
            return errs;
        }

        foreach (var f in list)
        {
            foreach (var msg in NameRules.QualifiedName(f))
            {
                errs.Add(FieldError.Invalid(path, f, msg));
            }
        }

        if (list.Contains("orphan") && list.Contains("foregroundDeletion"))
        {
            errs.Add(FieldError.Invalid(path, list, "finalizer orphan and foregroundDeletion cannot be both set"));
        }

        foreach (var (i, f) in Indexed(list))
        {
            errs.AddRange(ValidateKubeFinalizerName(f, path.Index(i)));
        }

        return errs;
    }

    /// <summary>A finalizer without a domain must be one of the standard ones (kubernetes, orphan, foregroundDeletion).</summary>
    public static FieldErrorList ValidateKubeFinalizerName(string name, FieldPath path) =>
        !name.Contains('/') && !StandardFinalizers.Contains(name)
            ? [FieldError.Invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified")]
            : [];

    private static GoLiteral OwnerReferenceLiteral(JsonObject r)
    {
        static string Bool(JsonObject o, string key) => JsonAccess.Bool(o, key) is { } b ? $"(*bool)({(b ? "true" : "false")})" : "(*bool)(nil)";
        return new GoLiteral(
            $"v1.OwnerReference{{APIVersion:{GoSyntax.Quote(JsonAccess.Str(r, "apiVersion"))}, Kind:{GoSyntax.Quote(JsonAccess.Str(r, "kind"))}, " +
            $"Name:{GoSyntax.Quote(JsonAccess.Str(r, "name"))}, UID:{GoSyntax.Quote(JsonAccess.Str(r, "uid"))}, " +
            $"Controller:{Bool(r, "controller")}, BlockOwnerDeletion:{Bool(r, "blockOwnerDeletion")}}}");
    }

    private static IEnumerable<(int Index, string Value)> Indexed(List<string>? list) =>
        list is null ? [] : list.Select((v, i) => (i, v));
}
