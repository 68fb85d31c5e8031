using System.Globalization;
using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Defaulting;

/// <summary>
/// What upstream's DefaultStorageClass admission plugin does to a new PersistentVolumeClaim: a claim that names no
/// class gets the cluster's default one.
/// </summary>
public static class ClaimAdmission
{
    /// <summary>On a StorageClass: "true" makes it a default class.</summary>
    public const string IsDefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    /// <summary>The beta spelling of <see cref="IsDefaultClassAnnotation"/>, still honoured upstream.</summary>
    public const string BetaIsDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>On a claim: the beta way of naming its class; when present (even empty) the claim has a class.</summary>
    public const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    /// <summary>Whether <paramref name="storageClass"/> carries either default-class annotation with the value "true".</summary>
    public static bool IsDefaultClass(JsonObject storageClass)
    {
        var annotations = JsonAccess.Obj(JsonAccess.Obj(storageClass, "metadata"), "annotations");
        return JsonAccess.String(annotations, IsDefaultClassAnnotation) == "true" ||
            JsonAccess.String(annotations, BetaIsDefaultClassAnnotation) == "true";
    }

    /// <summary>
    /// The default class among <paramref name="storageClasses"/>, null when none is marked. With several, the newest
    /// wins and equal creation times go to the first name in order, as upstream's GetDefaultClass chooses (so a cluster
    /// with two defaults keeps working while the admin removes one).
    /// </summary>
    public static string? DefaultClassName(IEnumerable<JsonObject> storageClasses) =>
        storageClasses
            .Where(IsDefaultClass)
            .Select(c => (Name: JsonAccess.Str(JsonAccess.Obj(c, "metadata"), "name"), Created: CreationTime(c)))
            .OrderByDescending(c => c.Created)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();

    /// <summary>
    /// Sets <c>spec.storageClassName</c> to <paramref name="defaultClass"/> when the claim has no class at all: the
    /// field absent or null and no beta class annotation. An empty name is a class choice ("no class") and is kept.
    /// </summary>
    public static void ApplyDefaultStorageClass(JsonObject claim, string? defaultClass)
    {
        if (defaultClass is null)
        {
            return;
        }

        var annotations = JsonAccess.Obj(JsonAccess.Obj(claim, "metadata"), "annotations");
        if (annotations is not null && annotations.ContainsKey(BetaStorageClassAnnotation))
        {
            return;
        }

        var spec = JsonAccess.Ensure(claim, "spec");
        if (!JsonAccess.Has(spec, "storageClassName"))
        {
            spec["storageClassName"] = defaultClass;
        }
    }

    private static DateTimeOffset CreationTime(JsonObject obj) =>
        DateTimeOffset.TryParse(JsonAccess.Str(JsonAccess.Obj(obj, "metadata"), "creationTimestamp"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : DateTimeOffset.MinValue;
}
