using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>The behaviour of kinds with nothing special: status owned by the status subresource when there is one.</summary>
public class DefaultStrategy(ResourceInfo resource) : IResourceStrategy
{
    // Kinds whose controllers report progress through metadata.generation / status.observedGeneration.
    private static readonly HashSet<string> GenerationKinds =
    [
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController",
        "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "NetworkPolicy", "CustomResourceDefinition",
        "PriorityClass", "StorageClass", "IngressClass",
    ];

    protected ResourceInfo Resource { get; } = resource;

    // Kinds that upstream lets a PUT create (clients that "ensure" an object exist without reading it first).
    public virtual bool AllowCreateOnUpdate =>
        Resource.Kind is "Endpoints" or "Lease" or "Event" or "Service" or "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding";

    public virtual bool AllowUnconditionalUpdate => true;

    public virtual bool TracksGeneration => GenerationKinds.Contains(Resource.Kind);

    public virtual bool AnnotationsBumpGeneration => Resource.Group == "apps" && Resource.Kind == "Deployment";

    public virtual TimeSpan? TimeToLive => null;

    public virtual void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        if (Resource.HasStatus)
        {
            // A new object starts without status; controllers fill it in.
            obj.Remove("status");
        }
    }

    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old, WriteContext context)
    {
        if (Resource.HasStatus)
        {
            var status = old["status"]?.DeepClone();
            obj.Remove("status");
            if (status is not null)
            {
                obj["status"] = status;
            }
        }
    }

    public virtual ValueTask AllocateAsync(JsonObject obj, JsonObject? old, WriteContext context, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public virtual void Release(JsonObject obj, JsonObject? keep)
    {
    }

    public virtual long? GracefulDeletionSeconds(JsonObject obj, DeleteOptions options) => null;

    public virtual void PrepareForDelete(JsonObject obj)
    {
    }

    public virtual bool ReadyToDelete(JsonObject obj) => Meta.Finalizers(obj).Count == 0;
}
