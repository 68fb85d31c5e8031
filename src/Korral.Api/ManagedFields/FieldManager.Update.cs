using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

public sealed partial class FieldManager
{
    /// <summary>
    /// Records a write that is not a server-side apply (POST, PUT, and json, merge or strategic merge PATCH) in
    /// <paramref name="updated"/>'s <c>metadata.managedFields</c>, which it rewrites in place:
    /// <list type="bullet">
    /// <item>the fields that changed or appeared become <paramref name="manager"/>'s (one entry per manager,
    /// operation, apiVersion and subresource, timed now) and leave every other entry; fields that disappeared leave
    /// every entry; empty entries are dropped; beyond 10 update entries the oldest merge into "ancient-changes";</item>
    /// <item>managedFields sent by the client replace the stored ones when they decode (an empty list, or a list of one
    /// empty entry, clears them); invalid ones are ignored in favour of the stored ones; on a subresource the
    /// client's are always ignored;</item>
    /// <item>an object that has no managedFields (after a reset) stays untracked until it is applied to.</item>
    /// </list>
    /// <paramref name="old"/> is null on create. Call it after the body is decoded and defaulted and before admission
    /// and validation. It never throws for a bad object: as upstream, the stored managedFields are kept instead.
    /// </summary>
    public void RecordUpdate(JsonObject? old, JsonObject updated, string manager, string operation, string? subresource, UpdateContext ctx)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(ctx);
        if (operation is not (ManagedFieldsEntry.UpdateOperation or ManagedFieldsEntry.ApplyOperation))
        {
            throw new ArgumentException("operation must be Update or Apply", nameof(operation));
        }

        manager = FieldManagerName.Resolve(manager, ctx.UserAgent);
        var liveManaged = old?["metadata"]?["managedFields"];
        try
        {
            var reusable = new Dictionary<ManagerKey, (ManagedFieldsEntry Entry, JsonObject FieldsV1)>();
            var managed = DecodeLiveOrNew(liveManaged, updated, ignoreNew: !string.IsNullOrEmpty(subresource), reusable);
            SetManagedFields(updated, null);
            if (managed.Count == 0 && old is not null)
            {
                // Tracking starts on create or at the first apply, never in the middle of an object's life.
                return;
            }

            var catalog = ctx.Schemas ?? schemas;
            var type = catalog.FindByKind(ctx.Kind);
            var shape = ShapeCatalog.For(catalog).ForType(type);
            var skeleton = ZeroObject.For(type, catalog);
            var live = old ?? skeleton;
            var key = ManagerKey.For(manager, operation, ctx.Kind.ApiVersion, subresource);
            RecordChanges(live, updated, managed, key, ctx.Kind.ApiVersion, ctx.ResetFields, shape, skeleton);
            CapUpdateManagers(managed);
            SetManagedFields(updated, ManagedFieldsCodec.Encode(managed.Values, reusable));
        }
        catch (Exception e) when (e is FormatException or TypedValueException or InvalidOperationException or ArgumentException)
        {
            // Upstream logs "[SHOULD NOT HAPPEN]" and keeps the live object's managedFields.
            SetManagedFields(updated, liveManaged?.DeepClone() as JsonArray);
        }
    }

    /// <summary>
    /// The managed fields a write starts from: the client's when it sent a decodable non-empty list, none when it
    /// sent a reset (<c>[]</c> or <c>[{}]</c>), the stored ones otherwise (and always on subresources); undecodable
    /// stored ones count as none.
    /// </summary>
    private static Dictionary<ManagerKey, ManagedFieldsEntry> DecodeLiveOrNew(JsonNode? liveManaged, JsonObject updated, bool ignoreNew,
        Dictionary<ManagerKey, (ManagedFieldsEntry Entry, JsonObject FieldsV1)> reusable)
    {
        if (!ignoreNew && updated["metadata"] is JsonObject meta && meta.TryGetPropertyValue("managedFields", out var sent))
        {
            if (IsReset(sent))
            {
                return [];
            }

            try
            {
                // The client's list goes away with the request, so its unchanged fieldsV1 nodes can be reused.
                var decoded = ManagedFieldsCodec.DecodeMap(sent, reusable);
                if (decoded.Count > 0)
                {
                    return decoded;
                }

                reusable.Clear();
            }
            catch (FormatException)
            {
                // Fall back to the stored managed fields, as upstream does for clients that mangle them.
                reusable.Clear();
            }
        }

        try
        {
            return ManagedFieldsCodec.DecodeMap(liveManaged);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static bool IsReset(JsonNode? sent) =>
        sent is JsonArray list && (list.Count == 0 || (list.Count == 1 && list[0] is JsonObject { Count: 0 }));

    /// <summary>Merges the oldest update entries into per-version "ancient-changes" entries beyond the cap.</summary>
    private static void CapUpdateManagers(Dictionary<ManagerKey, ManagedFieldsEntry> managed)
    {
        var updaters = managed.Where(p => !p.Value.IsApply).Select(p => p.Key).ToList();
        if (updaters.Count <= MaxUpdateManagers)
        {
            return;
        }

        updaters.Sort((a, b) =>
        {
            var c = ManagedFieldsCodec.Seconds(managed[a].Time).CompareTo(ManagedFieldsCodec.Seconds(managed[b].Time));
            return c != 0 ? c : JsonValues.CompareStrings(a.Identifier, b.Identifier);
        });

        var firstOfVersion = new Dictionary<string, ManagerKey>(StringComparer.Ordinal);
        var length = updaters.Count;
        for (var i = 0; i < updaters.Count && length > MaxUpdateManagers; i++)
        {
            var k = updaters[i];
            var entry = managed[k];
            var bucket = ManagerKey.For(AncientChangesManager, ManagedFieldsEntry.UpdateOperation, entry.ApiVersion, null);
            if (firstOfVersion.TryGetValue(entry.ApiVersion, out var first))
            {
                if (!managed.TryGetValue(bucket, out var bucketEntry))
                {
                    bucketEntry = managed[first] with
                    {
                        Manager = AncientChangesManager,
                        Operation = ManagedFieldsEntry.UpdateOperation,
                        Subresource = "",
                    };
                    managed.Remove(first);
                }

                managed[bucket] = bucketEntry with { Fields = entry.Fields.Union(bucketEntry.Fields), ApiVersion = entry.ApiVersion, Time = entry.Time };
                if (!k.Equals(bucket))
                {
                    managed.Remove(k);
                }

                length--;
            }
            else
            {
                firstOfVersion[entry.ApiVersion] = k;
            }
        }
    }
}
