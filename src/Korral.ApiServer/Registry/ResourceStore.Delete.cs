using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.Storage.Contract;

namespace Korral.ApiServer.Registry;

/// <summary>The result of a delete: the object's last state, and whether it is gone now or only marked for deletion.</summary>
public sealed record DeleteOutcome(JsonObject Object, bool Deleted);

public sealed partial class ResourceStore
{
    /// <summary>
    /// Deletes an object. Objects with finalizers (or an orphan/foreground propagation, which add one) and objects the
    /// strategy deletes gracefully (bound pods) are marked with deletionTimestamp and stay until their finalizers are
    /// removed or their owner confirms; others are removed at once.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(ResourceInfo resource, string ns, string name, DeleteOptions options, WriteContext context,
        CancellationToken cancellationToken)
    {
        var strategy = _strategies.For(resource);
        var key = KeyFor(resource, ns, name);
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await ReadAsync(resource, ns, name, cancellationToken) ?? throw ApiErrors.NotFound(resource, name);
            var obj = current.Object;
            var meta = Meta.Of(obj);
            if (options.PreconditionUid is { } uid && uid != Meta.Str(meta, "uid"))
            {
                throw ApiErrors.Conflict(resource, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Str(meta, "uid")}");
            }

            if (options.PreconditionResourceVersion is { } rv && rv != Meta.Str(meta, "resourceVersion"))
            {
                throw ApiErrors.Conflict(resource, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Meta.Str(meta, "resourceVersion")}");
            }

            var finalizers = Meta.Finalizers(obj);
            switch (options.Propagation)
            {
                case PropagationPolicy.Orphan when !finalizers.Contains("orphan"):
                    finalizers.Add("orphan");
                    finalizers.Remove("foregroundDeletion");
                    break;
                case PropagationPolicy.Foreground when !finalizers.Contains("foregroundDeletion"):
                    finalizers.Add("foregroundDeletion");
                    finalizers.Remove("orphan");
                    break;
            }

            var grace = strategy.GracefulDeletionSeconds(obj, options);
            var alreadyDeleting = Meta.IsDeleting(obj);
            if (finalizers.Count > 0 || grace is not null)
            {
                if (alreadyDeleting && grace is null && SameFinalizers(obj, finalizers))
                {
                    // Deletion already in progress: nothing new to record.
                    return new DeleteOutcome(obj, false);
                }

                var marked = Meta.Clone(obj);
                var markedMeta = Meta.Of(marked);
                if (finalizers.Count > 0)
                {
                    markedMeta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
                }

                var seconds = grace ?? 0;
                var existingGrace = markedMeta["deletionGracePeriodSeconds"]?.GetValue<long>();
                if (!alreadyDeleting || (existingGrace is { } g && seconds < g))
                {
                    // A shorter grace period shortens a deletion in progress, as upstream allows.
                    markedMeta["deletionTimestamp"] = Meta.Timestamp(context.Now.AddSeconds(seconds));
                    markedMeta["deletionGracePeriodSeconds"] = seconds;
                }

                strategy.PrepareForDelete(marked);
                if (strategy.TracksGeneration && !alreadyDeleting)
                {
                    markedMeta["generation"] = (markedMeta["generation"]?.GetValue<long>() ?? 1) + 1;
                }

                if (context.DryRun)
                {
                    return new DeleteOutcome(marked, false);
                }

                var update = await _store.TxnAsync(Txn.Update(key, current.ModRevision, Serialize(marked)), cancellationToken);
                if (!update.Succeeded)
                {
                    continue;
                }

                Meta.SetResourceVersion(marked, update.Revision);
                return new DeleteOutcome(marked, false);
            }

            if (context.DryRun)
            {
                return new DeleteOutcome(obj, true);
            }

            var result = await _store.TxnAsync(Txn.Delete(key, current.ModRevision), cancellationToken);
            if (!result.Succeeded)
            {
                continue;
            }

            strategy.Release(obj, null);
            Meta.SetResourceVersion(obj, result.Revision);
            return new DeleteOutcome(obj, true);
        }

        throw ApiErrors.Conflict(resource, name, "too many concurrent updates; please try again");
    }

    private static bool SameFinalizers(JsonObject obj, List<string> finalizers) => Meta.Finalizers(obj).SequenceEqual(finalizers);
}
