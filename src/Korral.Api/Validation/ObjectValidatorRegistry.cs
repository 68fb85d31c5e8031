using Korral.Api.Schema;
using Korral.Api.Validation.Kinds.Apps;
using Korral.Api.Validation.Kinds.Autoscaling;
using Korral.Api.Validation.Kinds.Batch;
using Korral.Api.Validation.Kinds.Coordination;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Kinds.Discovery;
using Korral.Api.Validation.Kinds.Events;
using Korral.Api.Validation.Kinds.Networking;
using Korral.Api.Validation.Kinds.Policy;
using Korral.Api.Validation.Kinds.Rbac;
using Korral.Api.Validation.Kinds.Scheduling;
using Korral.Api.Validation.Kinds.Storage;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation;

/// <summary>
/// The validators of the kinds, keyed by group and kind (all versions of a kind share one validator, as upstream
/// validates the internal form). <see cref="Default"/> holds the built-in kinds; kinds without rules get a
/// metadata-only <see cref="GenericObjectValidator"/> from <see cref="Get"/>.
/// </summary>
public sealed class ObjectValidatorRegistry
{
    private readonly Dictionary<(string Group, string Kind), IObjectValidator> validators = [];

    /// <summary>A registry with every built-in kind registered.</summary>
    public static ObjectValidatorRegistry Default { get; } = CreateDefault();

    public IEnumerable<(string Group, string Kind)> Kinds => validators.Keys;

    /// <summary>Adds or replaces the validator of a kind (group "" is core).</summary>
    public ObjectValidatorRegistry Register(string group, string kind, IObjectValidator validator)
    {
        validators[(group, kind)] = validator;
        return this;
    }

    /// <summary>The kind's own validator, or null.</summary>
    public IObjectValidator? Find(string group, string kind) => validators.GetValueOrDefault((group, kind));

    public IObjectValidator? Find(GroupVersionKind gvk) => Find(gvk.Group, gvk.Kind);

    /// <summary>The kind's validator, or metadata-only validation for the given scope.</summary>
    public IObjectValidator Get(string group, string kind, bool namespaced) =>
        Find(group, kind) ?? (namespaced ? GenericNamespaced : GenericClusterScoped);

    private static readonly GenericObjectValidator GenericNamespaced = new(namespaced: true);
    private static readonly GenericObjectValidator GenericClusterScoped = new(namespaced: false);

    private static ObjectValidatorRegistry CreateDefault() => new ObjectValidatorRegistry()
        .Register("", "Pod", new PodValidator())
        .Register("", "PodTemplate", new PodTemplateValidator())
        .Register("", "ReplicationController", new ReplicationControllerValidator())
        .Register("", "Service", new ServiceValidator())
        .Register("", "ConfigMap", new ConfigMapValidator())
        .Register("", "Secret", new SecretValidator())
        .Register("", "Namespace", new NamespaceValidator())
        .Register("", "Node", new NodeValidator())
        .Register("", "PersistentVolume", new PersistentVolumeValidator())
        .Register("", "PersistentVolumeClaim", new PersistentVolumeClaimValidator())
        .Register("", "ServiceAccount", new ServiceAccountValidator())
        .Register("", "Endpoints", new EndpointsValidator())
        .Register("", "Event", new EventValidator())
        .Register("", "LimitRange", new GenericObjectValidator(namespaced: true))
        .Register("", "ResourceQuota", new GenericObjectValidator(namespaced: true))
        .Register("apps", "Deployment", new DeploymentValidator())
        .Register("apps", "ReplicaSet", new ReplicaSetValidator())
        .Register("apps", "StatefulSet", new StatefulSetValidator())
        .Register("apps", "DaemonSet", new DaemonSetValidator())
        .Register("apps", "ControllerRevision", new GenericObjectValidator(namespaced: true))
        .Register("batch", "Job", new JobValidator())
        .Register("batch", "CronJob", new CronJobValidator())
        .Register("networking.k8s.io", "Ingress", new IngressValidator())
        .Register("networking.k8s.io", "IngressClass", new GenericObjectValidator(namespaced: false))
        .Register("networking.k8s.io", "NetworkPolicy", new GenericObjectValidator(namespaced: true))
        .Register("storage.k8s.io", "StorageClass", new StorageClassValidator())
        .Register("scheduling.k8s.io", "PriorityClass", new PriorityClassValidator())
        .Register("policy", "PodDisruptionBudget", new PodDisruptionBudgetValidator())
        .Register("autoscaling", "HorizontalPodAutoscaler", new HorizontalPodAutoscalerValidator())
        .Register("discovery.k8s.io", "EndpointSlice", new EndpointSliceValidator())
        .Register("coordination.k8s.io", "Lease", new LeaseValidator())
        .Register("events.k8s.io", "Event", new EventsV1Validator())
        .Register("rbac.authorization.k8s.io", "Role", new RoleValidator(namespaced: true))
        .Register("rbac.authorization.k8s.io", "ClusterRole", new RoleValidator(namespaced: false))
        .Register("rbac.authorization.k8s.io", "RoleBinding", new RoleBindingValidator(namespaced: true))
        .Register("rbac.authorization.k8s.io", "ClusterRoleBinding", new RoleBindingValidator(namespaced: false))
        .Register("certificates.k8s.io", "CertificateSigningRequest", new GenericObjectValidator(namespaced: false, NameRules.NameIsPathSegment));
}
