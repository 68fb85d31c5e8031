using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

/// <summary>
/// Tracks which manager owns which fields of an object (<c>metadata.managedFields</c>) and implements server-side
/// apply, following upstream's field manager: <see cref="Apply"/> for <c>application/apply-patch+yaml</c> patches,
/// <see cref="RecordUpdate"/> for every other write (create, update, json/merge/strategic patches), on the main
/// resource and on subresources. Thread-safe and stateless apart from caches.
/// </summary>
public sealed partial class FieldManager
{
    /// <summary>The manager whose server-side applies keep the client-side apply annotation in step.</summary>
    public const string KubectlManager = "kubectl";

    /// <summary>The manager that receives an object's existing fields the first time it is applied to.</summary>
    public const string BeforeFirstApplyManager = "before-first-apply";

    /// <summary>The manager that absorbs the oldest update entries beyond <see cref="MaxUpdateManagers"/>.</summary>
    public const string AncientChangesManager = "ancient-changes";

    /// <summary>Upstream's cap on the number of Update entries kept per object.</summary>
    public const int MaxUpdateManagers = 10;

    private static readonly FieldSet StripSet = FieldSet.FromPaths(
        FieldSetPath.Fields("apiVersion"),
        FieldSetPath.Fields("kind"),
        FieldSetPath.Fields("metadata"),
        FieldSetPath.Fields("metadata", "name"),
        FieldSetPath.Fields("metadata", "namespace"),
        FieldSetPath.Fields("metadata", "creationTimestamp"),
        FieldSetPath.Fields("metadata", "selfLink"),
        FieldSetPath.Fields("metadata", "uid"),
        FieldSetPath.Fields("metadata", "clusterName"),
        FieldSetPath.Fields("metadata", "generation"),
        FieldSetPath.Fields("metadata", "managedFields"),
        FieldSetPath.Fields("metadata", "resourceVersion"));

    private readonly ISchemaCatalog schemas;
    private readonly TimeProvider time;

    public FieldManager(ISchemaCatalog? schemas = null, TimeProvider? time = null)
    {
        this.schemas = schemas ?? GeneratedSchemaCatalog.Instance;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The fields an applied configuration of <paramref name="kind"/> sets, as its applier would own them
    /// (before the metadata fields nobody owns are taken out). Throws <see cref="ApplyException"/> when the
    /// configuration does not fit the schema.
    /// </summary>
    public FieldSet FieldsOf(JsonObject obj, GroupVersionKind kind, ISchemaCatalog? catalog = null)
    {
        var shape = ShapeFor(kind, catalog);
        try
        {
            return Typed.ToFieldSet(obj, shape, strict: true);
        }
        catch (TypedValueException e)
        {
            throw ApplyException.Internal(e.Message);
        }
    }

    private Shape ShapeFor(GroupVersionKind kind, ISchemaCatalog? catalog)
    {
        var s = catalog ?? schemas;
        return ShapeCatalog.For(s).ForType(s.FindByKind(kind));
    }

    private DateTimeOffset Now() => ManagedFieldsCodec.Truncate(time.GetUtcNow());

    private static string NameOf(JsonObject obj, string key) =>
        obj["metadata"]?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    private static void SetManagedFields(JsonObject obj, JsonArray? managedFields)
    {
        if (managedFields is null)
        {
            (obj["metadata"] as JsonObject)?.Remove("managedFields");
            return;
        }

        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }

        meta["managedFields"] = managedFields;
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key == "metadata" && value is JsonObject meta)
            {
                var m = new JsonObject();
                foreach (var (mk, mv) in meta)
                {
                    if (mk != "managedFields")
                    {
                        m.Add(mk, mv?.DeepClone());
                    }
                }

                copy.Add(key, m);
            }
            else
            {
                copy.Add(key, value?.DeepClone());
            }
        }

        return copy;
    }

    /// <summary>
    /// One write recorded as an update by <paramref name="key"/>: every manager loses the fields that changed or
    /// disappeared, and the writer gains the fields that changed or appeared (upstream's Updater.Update wrapped in
    /// its managed-fields updater and meta stripper).
    /// </summary>
    private void RecordChanges(JsonObject live, JsonObject updated, Dictionary<ManagerKey, ManagedFieldsEntry> managed,
        ManagerKey key, string apiVersion, FieldSet? reset, Shape shape, JsonObject skeleton)
    {
        var compare = Typed.Compare(live, updated, shape, skeleton).Exclude(reset);
        if (compare.IsSame)
        {
            return;
        }

        var taken = compare.Modified.Union(compare.Added);
        foreach (var (k, entry) in managed.ToList())
        {
            var rest = entry.Fields.Difference(taken).Difference(compare.Removed);
            if (rest.IsEmpty)
            {
                managed.Remove(k);
            }
            else if (!ReferenceEquals(rest, entry.Fields))
            {
                managed[k] = entry with { Fields = rest };
            }
        }

        var own = taken.Difference(compare.Removed);
        if (reset is not null)
        {
            own = own.RecursiveDifference(reset);
        }

        own = own.Difference(StripSet);
        if (own.IsEmpty)
        {
            return;
        }

        var fields = managed.TryGetValue(key, out var previous) ? own.Union(previous.Fields) : own;
        managed[key] = new ManagedFieldsEntry(key.Manager, key.Operation, apiVersion, Now(), fields, key.Subresource);
    }
}
