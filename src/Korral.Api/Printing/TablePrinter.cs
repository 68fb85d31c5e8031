using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Korral.Api.Printing.Printers;

namespace Korral.Api.Printing;

/// <summary>
/// Server-side table printing for <c>kubectl get</c> (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>):
/// per kind, the column definitions and row cells upstream's printers produce, wide columns always included (kubectl
/// hides priority &gt; 0 columns unless <c>-o wide</c>). Kinds without a printer get NAME and AGE.
/// </summary>
/// <example>
/// <code>
/// var printer = TablePrinter.For("apps", "Deployment");   // once per request
/// foreach (var item in items) { var cells = printer.Cells(item, now); ... }
/// </code>
/// </example>
public static class TablePrinter
{
    private static readonly FrozenDictionary<(string Group, string Kind), ResourcePrinter> Printers = Build();

    /// <summary>NAME and AGE, for custom resources and any kind without a printer.</summary>
    public static ResourcePrinter Default { get; } = new("*", "*", DefaultPrinters.NameAgeColumns, DefaultPrinters.NameAge);

    /// <summary>NAME and CREATED AT, upstream's table for built-in kinds without a printer (Role, LimitRange…).</summary>
    public static ResourcePrinter CreatedAt { get; } = new("*", "*", DefaultPrinters.CreatedAtColumns, DefaultPrinters.CreatedAt);

    /// <summary>The printer for a kind (group "" for core), or <see cref="Default"/>.</summary>
    public static ResourcePrinter For(string group, string kind) =>
        Printers.TryGetValue((group, kind), out var printer) ? printer : Default;

    /// <summary>Whether the kind has its own printer (rather than <see cref="Default"/>).</summary>
    public static bool HasPrinter(string group, string kind) => Printers.ContainsKey((group, kind));

    /// <summary>The column definitions for a kind.</summary>
    public static IReadOnlyList<TableColumnDefinition> Columns(string group, string kind) => For(group, kind).Columns;

    /// <summary>
    /// The cells of one object's row: strings, boxed longs, boxed bools or null, one per column. Ages are computed
    /// against <paramref name="now"/>.
    /// </summary>
    public static object?[] Cells(string group, string kind, JsonObject obj, DateTimeOffset now) => For(group, kind).Cells(obj, now);

    /// <summary>Every (group, kind) with its own printer.</summary>
    public static IEnumerable<(string Group, string Kind)> Kinds => Printers.Keys;

    private static FrozenDictionary<(string, string), ResourcePrinter> Build()
    {
        var map = new Dictionary<(string, string), ResourcePrinter>();
        void Add(string group, string kind, TableColumnDefinition[] columns, Func<JsonObject, DateTimeOffset, object?[]> cells, Func<JsonObject, IReadOnlyList<TableRowCondition>?>? conditions = null) =>
            map.Add((group, kind), new ResourcePrinter(group, kind, columns, cells, conditions));
        void AddCreatedAt(string group, string kind) =>
            map.Add((group, kind), new ResourcePrinter(group, kind, DefaultPrinters.CreatedAtColumns, DefaultPrinters.CreatedAt));

        Add("", "Pod", PodPrinter.Columns, PodPrinter.Cells, PodPrinter.RowConditions);
        Add("apps", "Deployment", WorkloadPrinters.DeploymentColumns, WorkloadPrinters.Deployment);
        Add("apps", "ReplicaSet", WorkloadPrinters.ReplicaSetColumns, WorkloadPrinters.ReplicaSet);
        Add("", "ReplicationController", WorkloadPrinters.ReplicaSetColumns, WorkloadPrinters.ReplicationController);
        Add("apps", "StatefulSet", WorkloadPrinters.StatefulSetColumns, WorkloadPrinters.StatefulSet);
        Add("apps", "DaemonSet", WorkloadPrinters.DaemonSetColumns, WorkloadPrinters.DaemonSet);
        Add("batch", "Job", BatchPrinters.JobColumns, BatchPrinters.Job);
        Add("batch", "CronJob", BatchPrinters.CronJobColumns, BatchPrinters.CronJob);
        Add("", "Service", NetworkPrinters.ServiceColumns, NetworkPrinters.Service);
        Add("", "Endpoints", NetworkPrinters.EndpointsColumns, NetworkPrinters.Endpoints);
        Add("discovery.k8s.io", "EndpointSlice", NetworkPrinters.EndpointSliceColumns, NetworkPrinters.EndpointSlice);
        Add("networking.k8s.io", "Ingress", NetworkPrinters.IngressColumns, NetworkPrinters.Ingress);
        Add("networking.k8s.io", "IngressClass", NetworkPrinters.IngressClassColumns, NetworkPrinters.IngressClass);
        Add("networking.k8s.io", "NetworkPolicy", NetworkPrinters.NetworkPolicyColumns, NetworkPrinters.NetworkPolicy);
        Add("", "Node", CorePrinters.NodeColumns, CorePrinters.Node);
        Add("", "Namespace", CorePrinters.NamespaceColumns, CorePrinters.Namespace);
        Add("", "ConfigMap", CorePrinters.ConfigMapColumns, CorePrinters.ConfigMap);
        Add("", "Secret", CorePrinters.SecretColumns, CorePrinters.Secret);
        Add("", "ServiceAccount", CorePrinters.ServiceAccountColumns, CorePrinters.ServiceAccount);
        Add("", "Event", EventPrinter.Columns, EventPrinter.Cells);
        Add("events.k8s.io", "Event", EventPrinter.Columns, EventPrinter.Cells);
        Add("", "PersistentVolume", StoragePrinters.PersistentVolumeColumns, StoragePrinters.PersistentVolume);
        Add("", "PersistentVolumeClaim", StoragePrinters.PersistentVolumeClaimColumns, StoragePrinters.PersistentVolumeClaim);
        Add("storage.k8s.io", "StorageClass", StoragePrinters.StorageClassColumns, StoragePrinters.StorageClass);
        Add("coordination.k8s.io", "Lease", ClusterPrinters.LeaseColumns, ClusterPrinters.Lease);
        Add("scheduling.k8s.io", "PriorityClass", PolicyPrinters.PriorityClassColumns, PolicyPrinters.PriorityClass);
        Add("policy", "PodDisruptionBudget", PolicyPrinters.PodDisruptionBudgetColumns, PolicyPrinters.PodDisruptionBudget);
        Add("autoscaling", "HorizontalPodAutoscaler", PolicyPrinters.HorizontalPodAutoscalerColumns, PolicyPrinters.HorizontalPodAutoscaler);
        Add("", "ResourceQuota", PolicyPrinters.ResourceQuotaColumns, PolicyPrinters.ResourceQuota);
        Add("apps", "ControllerRevision", ClusterPrinters.ControllerRevisionColumns, ClusterPrinters.ControllerRevision);
        Add("rbac.authorization.k8s.io", "RoleBinding", ClusterPrinters.RoleBindingColumns, ClusterPrinters.RoleBinding);
        Add("rbac.authorization.k8s.io", "ClusterRoleBinding", ClusterPrinters.RoleBindingColumns, ClusterPrinters.RoleBinding);
        Add("admissionregistration.k8s.io", "MutatingWebhookConfiguration", ClusterPrinters.WebhookConfigurationColumns, ClusterPrinters.WebhookConfiguration);
        Add("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", ClusterPrinters.WebhookConfigurationColumns, ClusterPrinters.WebhookConfiguration);
        Add("node.k8s.io", "RuntimeClass", ClusterPrinters.RuntimeClassColumns, ClusterPrinters.RuntimeClass);

        AddCreatedAt("rbac.authorization.k8s.io", "Role");
        AddCreatedAt("rbac.authorization.k8s.io", "ClusterRole");
        AddCreatedAt("", "LimitRange");
        AddCreatedAt("apiextensions.k8s.io", "CustomResourceDefinition");
        return map.ToFrozenDictionary();
    }
}
