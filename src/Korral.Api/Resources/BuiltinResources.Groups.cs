namespace Korral.Api.Resources;

public sealed partial class BuiltinResources
{
    private static IEnumerable<ResourceInfo> Apps()
    {
        const string g = "apps";
        const string v = "v1";
        const string pkg = "io.k8s.api.apps.v1.";

        yield return Resource(g, v, "controllerrevisions", "ControllerRevision", Scope.Namespaced, pkg + "ControllerRevision");
        yield return Resource(g, v, "daemonsets", "DaemonSet", Scope.Namespaced, pkg + "DaemonSet",
            shortNames: ["ds"], categories: [AllCategory], subresources: [Status(g, v, "DaemonSet")]);
        yield return Resource(g, v, "deployments", "Deployment", Scope.Namespaced, pkg + "Deployment",
            shortNames: ["deploy"], categories: [AllCategory], subresources: [Scale(), Status(g, v, "Deployment")]);
        yield return Resource(g, v, "replicasets", "ReplicaSet", Scope.Namespaced, pkg + "ReplicaSet",
            shortNames: ["rs"], categories: [AllCategory], subresources: [Scale(), Status(g, v, "ReplicaSet")]);
        yield return Resource(g, v, "statefulsets", "StatefulSet", Scope.Namespaced, pkg + "StatefulSet",
            shortNames: ["sts"], categories: [AllCategory], subresources: [Scale(), Status(g, v, "StatefulSet")]);
    }

    private static IEnumerable<ResourceInfo> Events()
    {
        // Shares its store with core v1 events, as upstream does.
        yield return Resource("events.k8s.io", "v1", "events", "Event", Scope.Namespaced, "io.k8s.api.events.v1.Event",
            shortNames: ["ev"]);
    }

    private static IEnumerable<ResourceInfo> Authentication()
    {
        const string g = "authentication.k8s.io";
        const string v = "v1";
        const string pkg = "io.k8s.api.authentication.v1.";

        yield return Resource(g, v, "selfsubjectreviews", "SelfSubjectReview", Scope.Cluster, pkg + "SelfSubjectReview",
            storage: "", verbs: CreateOnlyVerbs);
        yield return Resource(g, v, "tokenreviews", "TokenReview", Scope.Cluster, pkg + "TokenReview",
            storage: "", verbs: CreateOnlyVerbs);
    }

    private static IEnumerable<ResourceInfo> Authorization()
    {
        const string g = "authorization.k8s.io";
        const string v = "v1";
        const string pkg = "io.k8s.api.authorization.v1.";

        yield return Resource(g, v, "localsubjectaccessreviews", "LocalSubjectAccessReview", Scope.Namespaced,
            pkg + "LocalSubjectAccessReview", storage: "", verbs: CreateOnlyVerbs);
        yield return Resource(g, v, "selfsubjectaccessreviews", "SelfSubjectAccessReview", Scope.Cluster,
            pkg + "SelfSubjectAccessReview", storage: "", verbs: CreateOnlyVerbs);
        yield return Resource(g, v, "selfsubjectrulesreviews", "SelfSubjectRulesReview", Scope.Cluster,
            pkg + "SelfSubjectRulesReview", storage: "", verbs: CreateOnlyVerbs);
        yield return Resource(g, v, "subjectaccessreviews", "SubjectAccessReview", Scope.Cluster,
            pkg + "SubjectAccessReview", storage: "", verbs: CreateOnlyVerbs);
    }

    private static IEnumerable<ResourceInfo> Autoscaling()
    {
        const string g = "autoscaling";

        // v2 is the preferred version, so it comes first; both versions share one store.
        foreach (var v in (string[])["v2", "v1"])
        {
            yield return Resource(g, v, "horizontalpodautoscalers", "HorizontalPodAutoscaler", Scope.Namespaced,
                $"io.k8s.api.autoscaling.{v}.HorizontalPodAutoscaler",
                shortNames: ["hpa"], categories: [AllCategory],
                subresources: [Status(g, v, "HorizontalPodAutoscaler")]);
        }
    }

    private static IEnumerable<ResourceInfo> Batch()
    {
        const string g = "batch";
        const string v = "v1";
        const string pkg = "io.k8s.api.batch.v1.";

        yield return Resource(g, v, "cronjobs", "CronJob", Scope.Namespaced, pkg + "CronJob",
            shortNames: ["cj"], categories: [AllCategory], subresources: [Status(g, v, "CronJob")]);
        yield return Resource(g, v, "jobs", "Job", Scope.Namespaced, pkg + "Job",
            categories: [AllCategory], subresources: [Status(g, v, "Job")]);
    }

    private static IEnumerable<ResourceInfo> Certificates()
    {
        const string g = "certificates.k8s.io";
        const string v = "v1";

        yield return Resource(g, v, "certificatesigningrequests", "CertificateSigningRequest", Scope.Cluster,
            "io.k8s.api.certificates.v1.CertificateSigningRequest", shortNames: ["csr"],
            subresources:
            [
                new("approval", new(g, v, "CertificateSigningRequest"), GetPatchUpdateVerbs),
                Status(g, v, "CertificateSigningRequest"),
            ]);
    }

    private static IEnumerable<ResourceInfo> Networking()
    {
        const string g = "networking.k8s.io";
        const string v = "v1";
        const string pkg = "io.k8s.api.networking.v1.";

        yield return Resource(g, v, "ingressclasses", "IngressClass", Scope.Cluster, pkg + "IngressClass");

        // Upstream keeps ingresses under the singular "ingress" prefix (a leftover of extensions/v1beta1).
        yield return Resource(g, v, "ingresses", "Ingress", Scope.Namespaced, pkg + "Ingress",
            storage: "/registry/ingress/", shortNames: ["ing"], subresources: [Status(g, v, "Ingress")]);
        yield return Resource(g, v, "networkpolicies", "NetworkPolicy", Scope.Namespaced, pkg + "NetworkPolicy",
            shortNames: ["netpol"]);
    }

    private static IEnumerable<ResourceInfo> Policy()
    {
        const string g = "policy";
        const string v = "v1";

        yield return Resource(g, v, "poddisruptionbudgets", "PodDisruptionBudget", Scope.Namespaced,
            "io.k8s.api.policy.v1.PodDisruptionBudget", shortNames: ["pdb"],
            subresources: [Status(g, v, "PodDisruptionBudget")]);
    }

    private static IEnumerable<ResourceInfo> Rbac()
    {
        const string g = "rbac.authorization.k8s.io";
        const string v = "v1";
        const string pkg = "io.k8s.api.rbac.v1.";

        yield return Resource(g, v, "clusterrolebindings", "ClusterRoleBinding", Scope.Cluster, pkg + "ClusterRoleBinding");
        yield return Resource(g, v, "clusterroles", "ClusterRole", Scope.Cluster, pkg + "ClusterRole");
        yield return Resource(g, v, "rolebindings", "RoleBinding", Scope.Namespaced, pkg + "RoleBinding");
        yield return Resource(g, v, "roles", "Role", Scope.Namespaced, pkg + "Role");
    }

    private static IEnumerable<ResourceInfo> Storage()
    {
        const string g = "storage.k8s.io";
        const string v = "v1";
        const string pkg = "io.k8s.api.storage.v1.";

        yield return Resource(g, v, "csidrivers", "CSIDriver", Scope.Cluster, pkg + "CSIDriver");
        yield return Resource(g, v, "csinodes", "CSINode", Scope.Cluster, pkg + "CSINode");
        yield return Resource(g, v, "csistoragecapacities", "CSIStorageCapacity", Scope.Namespaced,
            pkg + "CSIStorageCapacity");
        yield return Resource(g, v, "storageclasses", "StorageClass", Scope.Cluster, pkg + "StorageClass",
            shortNames: ["sc"]);
        yield return Resource(g, v, "volumeattachments", "VolumeAttachment", Scope.Cluster, pkg + "VolumeAttachment",
            subresources: [Status(g, v, "VolumeAttachment")]);
    }

    private static IEnumerable<ResourceInfo> AdmissionRegistration()
    {
        const string g = "admissionregistration.k8s.io";
        const string v = "v1";
        const string pkg = "io.k8s.api.admissionregistration.v1.";

        yield return Resource(g, v, "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", Scope.Cluster,
            pkg + "MutatingWebhookConfiguration", categories: [ApiExtensionsCategory]);
        yield return Resource(g, v, "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", Scope.Cluster,
            pkg + "ValidatingWebhookConfiguration", categories: [ApiExtensionsCategory]);
    }

    private static IEnumerable<ResourceInfo> ApiExtensions()
    {
        const string g = "apiextensions.k8s.io";
        const string v = "v1";

        // Upstream's apiextensions server keeps CRDs under a group-qualified prefix.
        yield return Resource(g, v, "customresourcedefinitions", "CustomResourceDefinition", Scope.Cluster,
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
            storage: "/registry/apiextensions.k8s.io/customresourcedefinitions/",
            shortNames: ["crd", "crds"], categories: [ApiExtensionsCategory],
            subresources: [Status(g, v, "CustomResourceDefinition")]);
    }

    private static IEnumerable<ResourceInfo> Scheduling()
    {
        yield return Resource("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", Scope.Cluster,
            "io.k8s.api.scheduling.v1.PriorityClass", shortNames: ["pc"]);
    }

    private static IEnumerable<ResourceInfo> Coordination()
    {
        yield return Resource("coordination.k8s.io", "v1", "leases", "Lease", Scope.Namespaced,
            "io.k8s.api.coordination.v1.Lease");
    }

    private static IEnumerable<ResourceInfo> Discovery()
    {
        yield return Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", Scope.Namespaced,
            "io.k8s.api.discovery.v1.EndpointSlice");
    }
}
