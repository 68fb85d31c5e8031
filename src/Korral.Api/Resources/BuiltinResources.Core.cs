using Korral.Api.Schema;

namespace Korral.Api.Resources;

public sealed partial class BuiltinResources
{
    private static string CoreSchema(string kind) => "io.k8s.api.core.v1." + kind;

    private static GroupVersionKind CoreKind(string kind) => new("", "v1", kind);

    private static IEnumerable<ResourceInfo> Core()
    {
        const string g = "";
        const string v = "v1";

        yield return Resource(g, v, "bindings", "Binding", Scope.Namespaced, CoreSchema("Binding"),
            storage: "", verbs: CreateOnlyVerbs);
        yield return Resource(g, v, "componentstatuses", "ComponentStatus", Scope.Cluster, CoreSchema("ComponentStatus"),
            storage: "", shortNames: ["cs"], verbs: ReadOnlyVerbs);
        yield return Resource(g, v, "configmaps", "ConfigMap", Scope.Namespaced, CoreSchema("ConfigMap"),
            shortNames: ["cm"]);
        yield return Resource(g, v, "endpoints", "Endpoints", Scope.Namespaced, CoreSchema("Endpoints"),
            storage: "/registry/services/endpoints/", shortNames: ["ep"]);
        yield return Resource(g, v, "events", "Event", Scope.Namespaced, CoreSchema("Event"),
            shortNames: ["ev"]);
        yield return Resource(g, v, "limitranges", "LimitRange", Scope.Namespaced, CoreSchema("LimitRange"),
            shortNames: ["limits"]);
        yield return Resource(g, v, "namespaces", "Namespace", Scope.Cluster, CoreSchema("Namespace"),
            shortNames: ["ns"], verbs: NoDeleteCollectionVerbs,
            subresources:
            [
                new("finalize", CoreKind("Namespace"), ["update"]),
                Status(g, v, "Namespace"),
            ]);
        yield return Resource(g, v, "nodes", "Node", Scope.Cluster, CoreSchema("Node"),
            storage: "/registry/minions/", shortNames: ["no"],
            subresources:
            [
                new("proxy", CoreKind("NodeProxyOptions"), ProxyVerbs),
                Status(g, v, "Node"),
            ]);
        yield return Resource(g, v, "persistentvolumeclaims", "PersistentVolumeClaim", Scope.Namespaced,
            CoreSchema("PersistentVolumeClaim"), shortNames: ["pvc"],
            subresources: [Status(g, v, "PersistentVolumeClaim")]);
        yield return Resource(g, v, "persistentvolumes", "PersistentVolume", Scope.Cluster,
            CoreSchema("PersistentVolume"), shortNames: ["pv"],
            subresources: [Status(g, v, "PersistentVolume")]);
        yield return Resource(g, v, "pods", "Pod", Scope.Namespaced, CoreSchema("Pod"),
            shortNames: ["po"], categories: [AllCategory],
            subresources:
            [
                new("attach", CoreKind("PodAttachOptions"), ConnectVerbs),
                new("binding", CoreKind("Binding"), CreateOnlyVerbs),
                new("ephemeralcontainers", CoreKind("Pod"), GetPatchUpdateVerbs),
                new("eviction", new GroupVersionKind("policy", "v1", "Eviction"), CreateOnlyVerbs),
                new("exec", CoreKind("PodExecOptions"), ConnectVerbs),
                new("log", CoreKind("Pod"), ["get"]),
                new("portforward", CoreKind("PodPortForwardOptions"), ConnectVerbs),
                new("proxy", CoreKind("PodProxyOptions"), ProxyVerbs),
                Status(g, v, "Pod"),
            ]);
        yield return Resource(g, v, "podtemplates", "PodTemplate", Scope.Namespaced, CoreSchema("PodTemplate"));
        yield return Resource(g, v, "replicationcontrollers", "ReplicationController", Scope.Namespaced,
            CoreSchema("ReplicationController"), storage: "/registry/controllers/",
            shortNames: ["rc"], categories: [AllCategory],
            subresources: [Scale(), Status(g, v, "ReplicationController")]);
        yield return Resource(g, v, "resourcequotas", "ResourceQuota", Scope.Namespaced, CoreSchema("ResourceQuota"),
            shortNames: ["quota"], subresources: [Status(g, v, "ResourceQuota")]);
        yield return Resource(g, v, "secrets", "Secret", Scope.Namespaced, CoreSchema("Secret"));
        yield return Resource(g, v, "serviceaccounts", "ServiceAccount", Scope.Namespaced, CoreSchema("ServiceAccount"),
            shortNames: ["sa"],
            subresources: [new("token", new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"), CreateOnlyVerbs)]);
        yield return Resource(g, v, "services", "Service", Scope.Namespaced, CoreSchema("Service"),
            storage: "/registry/services/specs/", shortNames: ["svc"], categories: [AllCategory],
            subresources:
            [
                new("proxy", CoreKind("ServiceProxyOptions"), ProxyVerbs),
                Status(g, v, "Service"),
            ]);
    }
}
