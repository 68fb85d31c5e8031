using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>
/// What create, update and delete mean for one kind beyond the generic store: the habit of upstream's per-resource
/// strategies (prepare → default → validate), keeping only what is special to the kind here.
/// </summary>
public interface IResourceStrategy
{
    /// <summary>Whether a PUT to a missing object creates it.</summary>
    bool AllowCreateOnUpdate { get; }

    /// <summary>Whether a PUT without metadata.resourceVersion is accepted (last write wins).</summary>
    bool AllowUnconditionalUpdate { get; }

    /// <summary>Whether metadata.generation is kept and bumped on spec changes.</summary>
    bool TracksGeneration { get; }

    /// <summary>Whether a change of annotations also bumps the generation (Deployments do upstream).</summary>
    bool AnnotationsBumpGeneration { get; }

    /// <summary>How long objects live before the store drops them (Events: one hour), or null.</summary>
    TimeSpan? TimeToLive { get; }

    /// <summary>Clears what a client may not set on create (e.g. status) and fills server-owned fields.</summary>
    void PrepareForCreate(JsonObject obj, WriteContext context);

    /// <summary>For an update of the main resource: carries over what only subresources may change (status).</summary>
    void PrepareForUpdate(JsonObject obj, JsonObject old, WriteContext context);

    /// <summary>Allocates what the kind needs from shared pools (cluster IPs, node ports) before the object is stored.</summary>
    ValueTask AllocateAsync(JsonObject obj, JsonObject? old, WriteContext context, CancellationToken cancellationToken);

    /// <summary>Gives back what <see cref="AllocateAsync"/> took when the write did not happen (or the object went away).</summary>
    void Release(JsonObject obj, JsonObject? keep);

    /// <summary>
    /// Decides how a delete proceeds: null to delete at once, or the grace period in seconds to mark the object
    /// (deletionTimestamp) and leave its removal to a component (kubelet for bound pods).
    /// </summary>
    long? GracefulDeletionSeconds(JsonObject obj, DeleteOptions options);

    /// <summary>Records on an object being marked for deletion what the kind shows then (a namespace's Terminating phase).</summary>
    void PrepareForDelete(JsonObject obj);

    /// <summary>Whether an object marked for deletion has nothing left holding it (no finalizers).</summary>
    bool ReadyToDelete(JsonObject obj);
}

/// <summary>Looks up the strategy of a resource.</summary>
public interface IStrategyProvider
{
    IResourceStrategy For(ResourceInfo resource);
}
