using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

public sealed partial class FieldManager
{
    /// <summary>
    /// Server-side apply of <paramref name="applied"/> by <paramref name="manager"/> onto <paramref name="live"/>
    /// (null when the object does not exist yet: the configuration becomes the object). Neither input is modified.
    /// Returns the new object, with <c>metadata.managedFields</c> updated, before defaulting, admission and
    /// validation (which the server runs next, as upstream does after its merge):
    /// <list type="bullet">
    /// <item>the configuration is merged field by field following the schema (list-maps by key, sets by value,
    /// atomic lists and maps replaced, granular maps and structs merged);</item>
    /// <item>fields the manager applied last time but leaves out now are removed, unless another manager owns them;</item>
    /// <item>fields whose value changes and that another manager owns are conflicts: without <paramref name="force"/>
    /// a <see cref="FieldConflictException"/> is thrown, with it they move to the applier;</item>
    /// <item>for manager "kubectl", conflicts with fields the last-applied annotation still describes are forced
    /// (client-side to server-side apply upgrade), and the annotation is rewritten to the new configuration.</item>
    /// </list>
    /// Throws <see cref="ApplyException"/> for a configuration of the wrong kind, one carrying managedFields, or one
    /// that does not fit the schema.
    /// </summary>
    public JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, ApplyContext ctx)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(ctx);
        var appliedKind = GroupVersionKind.FromApiVersion(Str(applied, "apiVersion"), Str(applied, "kind"));
        if (!IsValidApiVersion(Str(applied, "apiVersion")))
        {
            appliedKind = new GroupVersionKind("", "", Str(applied, "kind"));
        }

        if (appliedKind != ctx.Kind)
        {
            throw ApplyException.BadRequest($"invalid object type: {appliedKind.Group}/{appliedKind.Version}, Kind={appliedKind.Kind}");
        }

        if (applied["metadata"]?["managedFields"] is JsonArray)
        {
            throw ApplyException.BadRequest("metadata.managedFields must be nil");
        }

        Dictionary<ManagerKey, ManagedFieldsEntry> managed;
        try
        {
            managed = ManagedFieldsCodec.DecodeMap(live?["metadata"]?["managedFields"]);
        }
        catch (FormatException e)
        {
            throw ApplyException.Internal("failed to decode managed fields: " + e.Message);
        }

        var catalog = ctx.Schemas ?? schemas;
        var type = catalog.FindByKind(ctx.Kind);
        var shape = ShapeCatalog.For(catalog).ForType(type);
        FieldSet configSet;
        try
        {
            configSet = Typed.ToFieldSet(applied, shape, strict: true);
        }
        catch (TypedValueException e)
        {
            var ns = NameOf(applied, "namespace");
            var name = NameOf(applied, "name");
            throw ApplyException.Internal(
                $"failed to create typed patch object ({ns}/{name}; {ctx.Kind.Group}/{ctx.Kind.Version}, Kind={ctx.Kind.Kind}): {e.Message}");
        }

        var request = new ApplyRequest(live is null ? null : WithoutManagedFields(live), applied, configSet, manager, ctx, shape,
            ZeroObject.For(type, catalog));
        JsonObject result;
        try
        {
            (result, managed) = ApplyCore(request, managed, force);
        }
        catch (FieldConflictException conflict) when (manager == KubectlManager && !force && live is not null)
        {
            // Upgrading from client-side apply: fields whose last-applied value is still the live value are the
            // kubectl user's own and may be taken over without --force-conflicts.
            var allowed = AllowedFromLastApplied(live, request);
            if (allowed is null)
            {
                throw;
            }

            var remaining = conflict.Conflicts.Where(c => !allowed.Has(c.Path)).ToList();
            if (remaining.Count > 0)
            {
                throw new FieldConflictException(remaining);
            }

            (result, managed) = ApplyCore(request, managed, force: true);
        }

        if (manager == KubectlManager && LastAppliedConfiguration.Get(result) is not null)
        {
            LastAppliedConfiguration.Set(result, LastAppliedConfiguration.Build(applied));
        }

        SetManagedFields(result, ManagedFieldsCodec.Encode(managed.Values));
        return result;
    }

    private sealed record ApplyRequest(
        JsonObject? Live,
        JsonObject Config,
        FieldSet ConfigSet,
        string Manager,
        ApplyContext Context,
        Shape Shape,
        JsonObject Skeleton);

    private (JsonObject Result, Dictionary<ManagerKey, ManagedFieldsEntry> Managed) ApplyCore(
        ApplyRequest request, Dictionary<ManagerKey, ManagedFieldsEntry> managed, bool force)
    {
        managed = new Dictionary<ManagerKey, ManagedFieldsEntry>(managed);
        var ctx = request.Context;
        var apiVersion = ctx.Kind.ApiVersion;
        var live = request.Live ?? new JsonObject();
        var shape = request.Shape;
        if (managed.Count == 0 && request.Live is not null)
        {
            // The first apply to an untracked object: what is already there belongs to "before-first-apply", so
            // that changing it is a conflict.
            var before = ManagerKey.For(BeforeFirstApplyManager, ManagedFieldsEntry.UpdateOperation, apiVersion, ctx.Subresource);
            RecordChanges(request.Skeleton, live, managed, before, apiVersion, ctx.ResetFields, shape, request.Skeleton);
            CapUpdateManagers(managed);
        }

        var key = ManagerKey.For(request.Manager, ManagedFieldsEntry.ApplyOperation, apiVersion, ctx.Subresource);
        var merged = Typed.Merge(live, request.Config, shape);
        managed.TryGetValue(key, out var last);
        var set = ctx.ResetFields is null ? request.ConfigSet : request.ConfigSet.RecursiveDifference(ctx.ResetFields);
        managed[key] = new ManagedFieldsEntry(key.Manager, key.Operation, apiVersion, last?.Time, set, key.Subresource);
        if (last is not null && !last.Fields.IsEmpty)
        {
            merged = Prune(merged, managed, last.Fields, shape);
        }

        var compare = Typed.Compare(live, merged, shape, request.Skeleton).Exclude(ctx.ResetFields);
        var taken = compare.Modified.Union(compare.Added);
        var conflicts = new List<FieldConflict>();
        foreach (var (k, entry) in managed.OrderBy(p => p.Key.Identifier, Utf8Order.Instance))
        {
            if (k.Equals(key))
            {
                continue;
            }

            var conflict = entry.Fields.Intersection(taken);
            foreach (var path in conflict.Paths)
            {
                conflicts.Add(new FieldConflict(entry.Manager, entry.Operation, entry.ApiVersion, entry.Subresource, path));
            }
        }

        if (!force && conflicts.Count > 0)
        {
            throw new FieldConflictException(conflicts);
        }

        foreach (var (k, entry) in managed.ToList())
        {
            if (k.Equals(key))
            {
                continue;
            }

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

        var own = managed[key].Fields.Difference(StripSet);
        var unchanged = JsonValues.DeepEquals(live, merged);
        if (own.IsEmpty)
        {
            managed.Remove(key);
        }
        else
        {
            // Upstream only stamps the applier when the object changes.
            managed[key] = managed[key] with { Fields = own, Time = unchanged ? last?.Time : Now() };
        }

        if (unchanged)
        {
            return ((JsonObject)live.DeepClone(), managed);
        }

        JsonValues.StripNulls(merged);
        return (merged, managed);
    }

    /// <summary>
    /// Removes what the applier applied last time and leaves out now, unless another manager (or the new
    /// configuration) owns it, and only what the applier owned (upstream's prune with its two add-back passes).
    /// </summary>
    private static JsonObject Prune(JsonObject merged, Dictionary<ManagerKey, ManagedFieldsEntry> managed, FieldSet lastSet, Shape shape)
    {
        var last = Typed.EnsureNamedFieldsAreMembers(lastSet, shape);
        var pruned = Typed.RemoveItems(merged, last, shape);

        var owned = FieldSet.Empty;
        foreach (var entry in managed.Values)
        {
            owned = owned.Union(entry.Fields);
        }

        owned = Typed.EnsureNamedFieldsAreMembers(owned, shape);
        var mergedSet = Typed.EnsureNamedFieldsAreMembers(Typed.ToFieldSet(merged, shape, strict: false), shape);
        var prunedSet = Typed.EnsureNamedFieldsAreMembers(Typed.ToFieldSet(pruned, shape, strict: false), shape);
        pruned = Typed.RemoveItems(merged, mergedSet.Difference(prunedSet.Union(owned)), shape);

        prunedSet = Typed.EnsureNamedFieldsAreMembers(Typed.ToFieldSet(pruned, shape, strict: false), shape);
        return Typed.RemoveItems(merged, mergedSet.Difference(prunedSet).Intersection(last), shape);
    }

    /// <summary>
    /// The fields of the last-applied annotation whose value is still the live value, or null when there is no
    /// usable annotation (absent, not JSON, another apiVersion, or not fitting the schema).
    /// </summary>
    private static FieldSet? AllowedFromLastApplied(JsonObject live, ApplyRequest request)
    {
        if (LastAppliedConfiguration.Get(live) is not { } text)
        {
            return null;
        }

        JsonObject? lastApplied;
        try
        {
            lastApplied = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (lastApplied is null || Str(lastApplied, "apiVersion") != request.Context.Kind.ApiVersion)
        {
            return null;
        }

        try
        {
            var set = Typed.ToFieldSet(lastApplied, request.Shape, strict: true);
            var compare = Typed.Compare(lastApplied, request.Live!, request.Shape);
            return set.Difference(compare.Modified).Difference(compare.Added).Difference(compare.Removed);
        }
        catch (TypedValueException)
        {
            return null;
        }
    }

    private static string Str(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    // Go's ParseGroupVersion accepts "", "v" and "g/v"; anything with more slashes is no group version.
    private static bool IsValidApiVersion(string apiVersion) => apiVersion.Count(c => c == '/') <= 1;
}
