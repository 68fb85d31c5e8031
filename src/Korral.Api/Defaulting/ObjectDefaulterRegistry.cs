using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.Defaulting;

/// <summary>
/// The defaulters of the kinds, keyed by group and kind. <see cref="Default"/> holds the built-in kinds. The server
/// calls <see cref="ApplyDefaults"/> on every decoded body (create, update, patch result) and
/// <see cref="PrepareForCreate"/> once on create, after defaulting and before validation.
/// </summary>
public sealed class ObjectDefaulterRegistry
{
    private readonly Dictionary<(string Group, string Kind), IObjectDefaulter> defaulters = [];

    /// <summary>A registry with every built-in kind registered (Services for an IPv4 single-stack cluster).</summary>
    public static ObjectDefaulterRegistry Default { get; } = CreateDefault();

    public IEnumerable<(string Group, string Kind)> Kinds => defaulters.Keys;

    public ObjectDefaulterRegistry Register(string group, string kind, IObjectDefaulter defaulter)
    {
        defaulters[(group, kind)] = defaulter;
        return this;
    }

    public IObjectDefaulter? Find(string group, string kind) => defaulters.GetValueOrDefault((group, kind));

    public IObjectDefaulter? Find(GroupVersionKind gvk) => Find(gvk.Group, gvk.Kind);

    /// <summary>Applies the scheme defaults of the kind, if it has any.</summary>
    public void ApplyDefaults(JsonObject obj, string group, string kind) => Find(group, kind)?.Default(obj);

    /// <summary>Applies the create-time settings of the kind (fresh status, required finalizers), if any.</summary>
    public void PrepareForCreate(JsonObject obj, string group, string kind) => Find(group, kind)?.PrepareForCreate(obj);

    /// <summary>Creates a registry whose Service defaults use the given cluster IP families (primary first).</summary>
    public static ObjectDefaulterRegistry CreateDefault(IReadOnlyList<string>? serviceIPFamilies = null)
    {
        static Action<JsonObject> Status(Func<JsonObject> make) => CoreDefaults.ResetStatus(make);
        return new ObjectDefaulterRegistry()
            .Register("", "Pod", new PodDefaults())
            .Register("", "PodTemplate", new DelegateDefaulter(p => PodSpecDefaults.DefaultPodTemplate(p["template"] as JsonObject)))
            .Register("", "ReplicationController", new DelegateDefaulter(CoreDefaults.ReplicationController, Status(() => new JsonObject { ["replicas"] = 0 })))
            .Register("", "Service", new ServiceDefaults(serviceIPFamilies))
            .Register("", "Secret", new DelegateDefaulter(CoreDefaults.Secret))
            .Register("", "Namespace", new DelegateDefaulter(CoreDefaults.Namespace, CoreDefaults.NamespaceOnCreate))
            .Register("", "PersistentVolumeClaim", new DelegateDefaulter(CoreDefaults.PersistentVolumeClaim, Status(() => new JsonObject { ["phase"] = "Pending" })))
            .Register("", "PersistentVolume", new DelegateDefaulter(CoreDefaults.PersistentVolume, Status(() => new JsonObject { ["phase"] = "Pending" })))
            .Register("", "Node", new DelegateDefaulter(CoreDefaults.Node))
            .Register("", "Endpoints", new DelegateDefaulter(CoreDefaults.Endpoints))
            .Register("", "LimitRange", new DelegateDefaulter(CoreDefaults.LimitRange))
            .Register("", "ResourceQuota", new DelegateDefaulter(CoreDefaults.ResourceQuota))
            .Register("apps", "Deployment", new DelegateDefaulter(WorkloadDefaults.Deployment, Status(() => [])))
            .Register("apps", "ReplicaSet", new DelegateDefaulter(WorkloadDefaults.ReplicaSet, Status(() => new JsonObject { ["replicas"] = 0 })))
            .Register("apps", "StatefulSet", new DelegateDefaulter(WorkloadDefaults.StatefulSet,
                Status(() => new JsonObject { ["replicas"] = 0, ["availableReplicas"] = 0 })))
            .Register("apps", "DaemonSet", new DelegateDefaulter(WorkloadDefaults.DaemonSet, Status(() => new JsonObject
            {
                ["currentNumberScheduled"] = 0,
                ["numberMisscheduled"] = 0,
                ["desiredNumberScheduled"] = 0,
                ["numberReady"] = 0,
            })))
            .Register("batch", "Job", new DelegateDefaulter(WorkloadDefaults.Job, Status(() => [])))
            .Register("batch", "CronJob", new DelegateDefaulter(WorkloadDefaults.CronJob, Status(() => [])))
            .Register("storage.k8s.io", "StorageClass", new DelegateDefaulter(GroupDefaults.StorageClass))
            .Register("scheduling.k8s.io", "PriorityClass", new DelegateDefaulter(GroupDefaults.PriorityClass))
            .Register("discovery.k8s.io", "EndpointSlice", new DelegateDefaulter(GroupDefaults.EndpointSlice))
            .Register("autoscaling", "HorizontalPodAutoscaler", new DelegateDefaulter(GroupDefaults.HorizontalPodAutoscaler))
            .Register("rbac.authorization.k8s.io", "RoleBinding", new DelegateDefaulter(GroupDefaults.RoleBinding))
            .Register("rbac.authorization.k8s.io", "ClusterRoleBinding", new DelegateDefaulter(GroupDefaults.RoleBinding))
            .Register("networking.k8s.io", "NetworkPolicy", new DelegateDefaulter(GroupDefaults.NetworkPolicy))
            .Register("policy", "PodDisruptionBudget", new DelegateDefaulter(_ => { }, Status(() => new JsonObject
            {
                ["disruptionsAllowed"] = 0,
                ["currentHealthy"] = 0,
                ["desiredHealthy"] = 0,
                ["expectedPods"] = 0,
            })));
    }
}
