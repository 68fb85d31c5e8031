using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.Storage.Contract;

namespace Korral.ApiServer.Registry;

public sealed partial class ResourceStore
{
    private const int MaxUpdateAttempts = 16;

    /// <summary>
    /// A PUT: replaces the object (or its status when <paramref name="subresource"/> is "status"). With a
    /// resourceVersion in the body the write is conditional and a stale one is a 409; without one the newest state is
    /// replaced. Returns the stored object and whether it was created.
    /// </summary>
    public async Task<(JsonObject Object, bool Created)> UpdateAsync(ResourceInfo resource, string ns, string name, JsonObject obj,
        string subresource, WriteContext context, FieldValidation fieldValidation, List<string> warnings, CancellationToken cancellationToken)
    {
        var strategy = _strategies.For(resource);
        var meta = Meta.Of(obj);
        var bodyName = Meta.Str(meta, "name");
        if (bodyName.Length > 0 && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        meta["name"] = name;
        var requested = Meta.ResourceVersion(obj);
        CheckUnknownFields(resource, obj, fieldValidation, warnings);
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await ReadAsync(resource, ns, name, cancellationToken);
            if (current is null)
            {
                if (!strategy.AllowCreateOnUpdate || subresource.Length > 0)
                {
                    throw ApiErrors.NotFound(resource, name);
                }

                if (requested != 0)
                {
                    throw ApiErrors.NotFound(resource, name);
                }

                try
                {
                    return (await CreateAsync(resource, ns, obj, context, FieldValidation.Ignore, warnings, cancellationToken), true);
                }
                catch (ApiException e) when (e.Reason == "AlreadyExists")
                {
                    continue;
                }
            }

            if (requested == 0 && !strategy.AllowUnconditionalUpdate)
            {
                throw ApiErrors.Invalid(resource, name, "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                    [new StatusCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
            }

            if (requested != 0 && requested != current.ModRevision)
            {
                throw ApiErrors.StaleUpdate(resource, name);
            }

            var updated = await TryCommitUpdateAsync(resource, ns, name, Meta.Clone(obj), current, subresource, context, cancellationToken);
            if (updated is not null)
            {
                return (updated, false);
            }

            if (requested != 0)
            {
                throw ApiErrors.StaleUpdate(resource, name);
            }
        }

        throw ApiErrors.Conflict(resource, name, "too many concurrent updates; please try again");
    }

    /// <summary>
    /// A read-modify-write that retries on conflicts: <paramref name="mutate"/> gets a copy of the current object and
    /// returns the desired one (patch, binding, scale). It may throw an <see cref="ApiException"/> to refuse.
    /// </summary>
    public async Task<JsonObject> GuaranteedUpdateAsync(ResourceInfo resource, string ns, string name, string subresource,
        Func<JsonObject, JsonObject> mutate, WriteContext context, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await ReadAsync(resource, ns, name, cancellationToken) ?? throw ApiErrors.NotFound(resource, name);
            var desired = mutate(Meta.Clone(current.Object));
            var requested = Meta.ResourceVersion(desired);
            if (requested != 0 && requested != current.ModRevision)
            {
                throw ApiErrors.StaleUpdate(resource, name);
            }

            var updated = await TryCommitUpdateAsync(resource, ns, name, desired, current, subresource, context, cancellationToken);
            if (updated is not null)
            {
                return updated;
            }
        }

        throw ApiErrors.Conflict(resource, name, "too many concurrent updates; please try again");
    }

    /// <summary>Runs the update pipeline and the compare-and-swap; null when someone else wrote first.</summary>
    private async Task<JsonObject?> TryCommitUpdateAsync(ResourceInfo resource, string ns, string name, JsonObject obj, StoredObject current,
        string subresource, WriteContext context, CancellationToken cancellationToken)
    {
        var strategy = _strategies.For(resource);
        var old = current.Object;
        if (Meta.Of(obj)["uid"]?.GetValue<string>() is { Length: > 0 } uid && Meta.Of(old)["uid"]?.GetValue<string>() is { } existing && uid != existing)
        {
            // A UID in the body is a precondition (the kubelet's status patches rely on it: a pod recreated under the same
            // name must not get the old pod's status).
            throw ApiErrors.Conflict(resource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing}");
        }

        JsonObject next;
        if (subresource == "status")
        {
            // The status subresource changes status only; everything else stays as stored.
            next = Meta.Clone(old);
            next.Remove("status");
            if (obj["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }

            if (resource.Group == "apps")
            {
                // The apps workloads' status strategies keep only spec and labels: controllers record annotations such
                // as a Deployment's revision through the status subresource, so those writes do not bump generation.
                var annotations = Meta.Of(obj)["annotations"]?.DeepClone();
                Meta.Of(next).Remove("annotations");
                if (annotations is not null)
                {
                    Meta.Of(next)["annotations"] = annotations;
                }
            }
        }
        else if (subresource == "finalize")
        {
            // namespaces/{name}/finalize changes spec.finalizers only.
            next = Meta.Clone(old);
            var spec = next["spec"] as JsonObject ?? new JsonObject();
            next["spec"] = spec;
            spec.Remove("finalizers");
            if (obj["spec"]?["finalizers"] is { } finalizers)
            {
                spec["finalizers"] = finalizers.DeepClone();
            }
        }
        else if (subresource == "binding")
        {
            // The binding subresource sets what pod validation would otherwise refuse to change (spec.nodeName).
            next = obj;
        }
        else
        {
            next = obj;
            strategy.PrepareForUpdate(next, old, context);
            _rules.PruneUnknownFields(resource, next);
        }

        next["apiVersion"] = resource.GroupVersion;
        next["kind"] = resource.Kind;
        CarryImmutableMetadata(next, old);
        _rules.Default(resource, next);
        if (strategy.TracksGeneration)
        {
            var generation = Meta.Of(old)["generation"]?.GetValue<long>() ?? 1;
            if (!SameSpec(next, old) || (Meta.IsDeleting(next) && !Meta.IsDeleting(old)) ||
                (strategy.AnnotationsBumpGeneration && subresource != "status" &&
                 !JsonNode.DeepEquals(Meta.Of(next)["annotations"], Meta.Of(old)["annotations"])))
            {
                generation++;
            }

            Meta.Of(next)["generation"] = generation;
        }

        if (subresource != "binding")
        {
            EnsureValid(resource, next, old, subresource);
        }

        RecordManagedFields(resource, old, next, subresource, context);
        Meta.SetResourceVersion(next, current.ModRevision);
        ManagedFieldsTimestamps.RevertIfUnchanged(old, next);
        if (JsonNode.DeepEquals(next, old))
        {
            // Nothing changed: upstream does not write, and the resourceVersion stays.
            return next;
        }

        await strategy.AllocateAsync(next, old, context, cancellationToken);
        if (context.DryRun)
        {
            strategy.Release(next, old);
            return next;
        }

        var key = KeyFor(resource, ns, name);
        if (Meta.IsDeleting(next) && strategy.ReadyToDelete(next) && (Meta.Of(old)["deletionGracePeriodSeconds"]?.GetValue<long>() ?? 0) == 0)
        {
            // The last finalizer of an object being deleted is gone: the object goes away now. Not while a graceful
            // deletion is running (a pod being stopped by its kubelet, whose status updates continue): its zero-grace
            // delete ends it, as upstream's ShouldDeleteDuringUpdate decides.
            var deleted = await _store.TxnAsync(Txn.Delete(key, current.ModRevision), cancellationToken);
            if (!deleted.Succeeded)
            {
                return null;
            }

            strategy.Release(next, null);
            Meta.SetResourceVersion(next, deleted.Revision);
            return next;
        }

        try
        {
            var bytes = Serialize(next);
            var result = await WriteWithLeaseAsync(strategy.TimeToLive, lease => Txn.Update(key, current.ModRevision, bytes, lease), cancellationToken);
            if (!result.Succeeded)
            {
                strategy.Release(next, old);
                return null;
            }

            // What the old object held and the new one no longer does goes back to the pools.
            strategy.Release(old, next);
            Meta.SetResourceVersion(next, result.Revision);
            return next;
        }
        catch
        {
            strategy.Release(next, old);
            throw;
        }
    }

    private static void CarryImmutableMetadata(JsonObject next, JsonObject old)
    {
        var meta = Meta.Of(next);
        var oldMeta = Meta.Of(old);
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            meta.Remove(field);
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }

        meta.Remove("selfLink");
    }

    /// <summary>Whether everything but metadata and status (what a generation bump looks at) is equal, without copying.</summary>
    private static bool SameSpec(JsonObject a, JsonObject b)
    {
        static bool Counted(string key) => key is not ("metadata" or "status" or "apiVersion" or "kind");
        if (a.Count(p => Counted(p.Key)) != b.Count(p => Counted(p.Key)))
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (Counted(key) && (!b.TryGetPropertyValue(key, out var other) || !JsonNode.DeepEquals(value, other)))
            {
                return false;
            }
        }

        return true;
    }
}
