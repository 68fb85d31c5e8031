using Korral.Api.Resources;
using Korral.Api.Schema;

namespace Korral.Api.Tests.Resources;

public sealed class BuiltinResourcesTests
{
    private static readonly BuiltinResources Catalog = BuiltinResources.Instance;

    [Fact]
    public void Plurals_are_unique_within_each_group_version()
    {
        var duplicates = Catalog.All
            .GroupBy(r => (r.Group, r.Version, r.Plural))
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Short_names_are_unique_across_groups_except_shared_versions_and_events()
    {
        // One short name may point at one resource only, except the same resource served in several versions
        // (hpa in autoscaling v1 and v2) and the two Event APIs (ev in core and events.k8s.io), as upstream.
        var clashes = Catalog.All
            .SelectMany(r => r.ShortNames.Select(s => (Short: s, r.Plural)))
            .GroupBy(x => x.Short)
            .Where(g => g.Select(x => x.Plural).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToList();

        Assert.Empty(clashes);
    }

    [Theory]
    [InlineData("po", "", "pods")]
    [InlineData("svc", "", "services")]
    [InlineData("cm", "", "configmaps")]
    [InlineData("ns", "", "namespaces")]
    [InlineData("no", "", "nodes")]
    [InlineData("pv", "", "persistentvolumes")]
    [InlineData("pvc", "", "persistentvolumeclaims")]
    [InlineData("sa", "", "serviceaccounts")]
    [InlineData("ep", "", "endpoints")]
    [InlineData("ev", "", "events")]
    [InlineData("rc", "", "replicationcontrollers")]
    [InlineData("limits", "", "limitranges")]
    [InlineData("quota", "", "resourcequotas")]
    [InlineData("cs", "", "componentstatuses")]
    [InlineData("deploy", "apps", "deployments")]
    [InlineData("rs", "apps", "replicasets")]
    [InlineData("sts", "apps", "statefulsets")]
    [InlineData("ds", "apps", "daemonsets")]
    [InlineData("ing", "networking.k8s.io", "ingresses")]
    [InlineData("netpol", "networking.k8s.io", "networkpolicies")]
    [InlineData("pdb", "policy", "poddisruptionbudgets")]
    [InlineData("hpa", "autoscaling", "horizontalpodautoscalers")]
    [InlineData("cj", "batch", "cronjobs")]
    [InlineData("pc", "scheduling.k8s.io", "priorityclasses")]
    [InlineData("sc", "storage.k8s.io", "storageclasses")]
    [InlineData("csr", "certificates.k8s.io", "certificatesigningrequests")]
    [InlineData("crd", "apiextensions.k8s.io", "customresourcedefinitions")]
    public void Short_names_match_upstream(string shortName, string group, string plural)
    {
        var owners = Catalog.All.Where(r => r.ShortNames.Contains(shortName)).ToList();

        Assert.NotEmpty(owners);
        Assert.Contains(owners, r => r.Group == group && r.Plural == plural);
    }

    [Fact]
    public void Category_all_is_exactly_where_upstream_puts_it()
    {
        var withAll = Catalog.All
            .Where(r => r.Categories.Contains(BuiltinResources.AllCategory))
            .Select(r => r.Plural)
            .Distinct()
            .ToList();

        // Discovery order: core (alphabetical), then apps, autoscaling, batch.
        Assert.Equal(
            [
                "pods", "replicationcontrollers", "services",
                "daemonsets", "deployments", "replicasets", "statefulsets",
                "horizontalpodautoscalers",
                "cronjobs", "jobs",
            ],
            withAll);
    }

    [Fact]
    public void Groups_follow_upstream_priority_order_with_core_first()
    {
        Assert.Equal(
            [
                "", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch",
                "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "storage.k8s.io",
                "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
                "discovery.k8s.io",
            ],
            Catalog.Groups.Select(g => g.Name));
    }

    [Fact]
    public void Autoscaling_prefers_v2_and_also_serves_v1_from_the_same_store()
    {
        var autoscaling = Assert.Single(Catalog.Groups, g => g.Name == "autoscaling");
        Assert.Equal(["v2", "v1"], autoscaling.Versions);
        Assert.Equal("v2", autoscaling.PreferredVersion);

        var v2 = Catalog.Find("autoscaling", "v2", "horizontalpodautoscalers");
        var v1 = Catalog.Find("autoscaling", "v1", "horizontalpodautoscalers");
        Assert.NotNull(v2);
        Assert.NotNull(v1);
        Assert.Equal("/registry/horizontalpodautoscalers/", v2.StoragePrefix);
        Assert.Equal(v2.StoragePrefix, v1.StoragePrefix);
        Assert.Equal("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler", v2.SchemaName);
        Assert.Equal("io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler", v1.SchemaName);
    }

    [Fact]
    public void Every_group_version_has_resources_and_every_resource_is_in_its_group()
    {
        foreach (var group in Catalog.Groups)
        {
            foreach (var version in group.Versions)
            {
                var resources = Catalog.ForGroupVersion(group.Name, version);
                Assert.NotEmpty(resources);
                Assert.All(resources, r => Assert.Equal((group.Name, version), (r.Group, r.Version)));
            }
        }

        Assert.Equal(Catalog.All.Count, Catalog.Groups.Sum(g => g.Versions.Sum(v => Catalog.ForGroupVersion(g.Name, v).Count)));
    }

    [Fact]
    public void Resources_and_subresources_are_sorted_by_name_within_a_version_as_upstream()
    {
        foreach (var group in Catalog.Groups)
        {
            foreach (var version in group.Versions)
            {
                var plurals = Catalog.ForGroupVersion(group.Name, version).Select(r => r.Plural).ToList();
                Assert.Equal(plurals.Order(StringComparer.Ordinal), plurals);
            }
        }

        Assert.All(Catalog.All, r =>
            Assert.Equal(r.Subresources.Select(s => s.Name).Order(StringComparer.Ordinal), r.Subresources.Select(s => s.Name)));
    }

    [Theory]
    [InlineData("", "pods", "/registry/pods/")]
    [InlineData("", "services", "/registry/services/specs/")]
    [InlineData("", "endpoints", "/registry/services/endpoints/")]
    [InlineData("", "nodes", "/registry/minions/")]
    [InlineData("", "events", "/registry/events/")]
    [InlineData("", "replicationcontrollers", "/registry/controllers/")]
    [InlineData("", "namespaces", "/registry/namespaces/")]
    [InlineData("apps", "deployments", "/registry/deployments/")]
    [InlineData("events.k8s.io", "events", "/registry/events/")]
    [InlineData("networking.k8s.io", "ingresses", "/registry/ingress/")]
    [InlineData("coordination.k8s.io", "leases", "/registry/leases/")]
    [InlineData("rbac.authorization.k8s.io", "clusterroles", "/registry/clusterroles/")]
    [InlineData("apiextensions.k8s.io", "customresourcedefinitions", "/registry/apiextensions.k8s.io/customresourcedefinitions/")]
    public void Storage_prefixes_match_upstream_etcd_layout(string group, string plural, string prefix)
    {
        var resource = Catalog.All.First(r => r.Group == group && r.Plural == plural);

        Assert.Equal(prefix, resource.StoragePrefix);
        Assert.True(resource.IsStored);
    }

    [Fact]
    public void Virtual_resources_are_create_only_and_never_stored()
    {
        string[] createOnly =
        [
            "bindings", "tokenreviews", "selfsubjectreviews", "localsubjectaccessreviews", "selfsubjectaccessreviews",
            "subjectaccessreviews", "selfsubjectrulesreviews",
        ];

        foreach (var plural in createOnly)
        {
            var resource = Catalog.All.Single(r => r.Plural == plural);
            Assert.Equal(["create"], resource.Verbs);
            Assert.False(resource.IsStored, plural);
        }
    }

    [Fact]
    public void Stored_prefixes_are_well_formed_and_distinct_per_resource()
    {
        Assert.All(Catalog.All.Where(r => r.IsStored), r =>
        {
            Assert.StartsWith("/registry/", r.StoragePrefix);
            Assert.EndsWith("/", r.StoragePrefix);
        });

        // A prefix is shared only by versions of one resource or by the two Event APIs.
        var shared = Catalog.All.Where(r => r.IsStored)
            .GroupBy(r => r.StoragePrefix)
            .Where(g => g.Select(r => r.Plural).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToList();
        Assert.Empty(shared);
    }

    [Fact]
    public void Pods_have_upstream_subresources_with_their_response_kinds()
    {
        var pods = Catalog.Find("", "v1", "pods")!;

        Assert.Equal(
            ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "status"],
            pods.Subresources.Select(s => s.Name));
        Assert.Equal(new GroupVersionKind("policy", "v1", "Eviction"), pods.FindSubresource("eviction")!.ResponseKind);
        Assert.Equal(new GroupVersionKind("", "v1", "PodExecOptions"), pods.FindSubresource("exec")!.ResponseKind);
        Assert.Equal(["get"], pods.FindSubresource("log")!.Verbs);
        Assert.Equal(["create"], pods.FindSubresource("binding")!.Verbs);
        Assert.True(pods.HasStatus);
    }

    [Theory]
    [InlineData("apps", "deployments")]
    [InlineData("apps", "replicasets")]
    [InlineData("apps", "statefulsets")]
    [InlineData("", "replicationcontrollers")]
    public void Scalable_resources_answer_with_autoscaling_v1_Scale(string group, string plural)
    {
        var resource = Catalog.All.Single(r => r.Group == group && r.Plural == plural);
        var scale = resource.FindSubresource("scale");

        Assert.NotNull(scale);
        Assert.Equal(new GroupVersionKind("autoscaling", "v1", "Scale"), scale.ResponseKind);
        Assert.Equal(["get", "patch", "update"], scale.Verbs);
    }

    [Theory]
    [InlineData("", "v1", "pods")]
    [InlineData("", "v1", "services")]
    [InlineData("", "v1", "nodes")]
    [InlineData("", "v1", "namespaces")]
    [InlineData("", "v1", "persistentvolumes")]
    [InlineData("", "v1", "persistentvolumeclaims")]
    [InlineData("", "v1", "resourcequotas")]
    [InlineData("apps", "v1", "deployments")]
    [InlineData("apps", "v1", "replicasets")]
    [InlineData("apps", "v1", "statefulsets")]
    [InlineData("apps", "v1", "daemonsets")]
    [InlineData("batch", "v1", "jobs")]
    [InlineData("batch", "v1", "cronjobs")]
    [InlineData("autoscaling", "v2", "horizontalpodautoscalers")]
    [InlineData("autoscaling", "v1", "horizontalpodautoscalers")]
    [InlineData("policy", "v1", "poddisruptionbudgets")]
    [InlineData("networking.k8s.io", "v1", "ingresses")]
    public void Resources_with_status_have_a_status_subresource_of_their_own_kind(string group, string version, string plural)
    {
        var resource = Catalog.Find(group, version, plural)!;
        var status = resource.FindSubresource("status");

        Assert.NotNull(status);
        Assert.Equal(resource.GroupVersionKind, status.ResponseKind);
    }

    [Fact]
    public void Other_notable_subresources_exist()
    {
        Assert.Equal(new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"),
            Catalog.Find("", "v1", "serviceaccounts")!.FindSubresource("token")!.ResponseKind);
        Assert.Equal(["update"], Catalog.Find("", "v1", "namespaces")!.FindSubresource("finalize")!.Verbs);
        Assert.NotNull(Catalog.Find("", "v1", "nodes")!.FindSubresource("proxy"));
        Assert.NotNull(Catalog.Find("", "v1", "services")!.FindSubresource("proxy"));
    }

    [Fact]
    public void Namespaces_cannot_be_deleted_as_a_collection()
    {
        Assert.DoesNotContain("deletecollection", Catalog.Find("", "v1", "namespaces")!.Verbs);
        Assert.Contains("deletecollection", Catalog.Find("", "v1", "pods")!.Verbs);
    }

    [Fact]
    public void Scope_matches_upstream_for_a_sample()
    {
        string[] clusterScoped =
        [
            "namespaces", "nodes", "persistentvolumes", "componentstatuses", "clusterroles", "clusterrolebindings",
            "storageclasses", "priorityclasses", "ingressclasses", "customresourcedefinitions", "csidrivers", "csinodes",
            "volumeattachments", "certificatesigningrequests", "tokenreviews", "selfsubjectaccessreviews",
        ];
        string[] namespaced =
        [
            "pods", "services", "deployments", "roles", "rolebindings", "leases", "endpointslices", "events",
            "localsubjectaccessreviews", "poddisruptionbudgets", "csistoragecapacities",
        ];

        Assert.All(clusterScoped, p => Assert.All(Catalog.All.Where(r => r.Plural == p), r => Assert.False(r.Namespaced, p)));
        Assert.All(namespaced, p => Assert.All(Catalog.All.Where(r => r.Plural == p), r => Assert.True(r.Namespaced, p)));
    }

    [Fact]
    public void Lookups_by_plural_and_kind_agree()
    {
        foreach (var resource in Catalog.All)
        {
            Assert.Same(resource, Catalog.Find(resource.Group, resource.Version, resource.Plural));
            Assert.Same(resource, Catalog.FindByKind(resource.Group, resource.Version, resource.Kind));
        }

        Assert.Null(Catalog.Find("apps", "v1", "pods"));
        Assert.Null(Catalog.FindByKind("apps", "v1beta1", "Deployment"));
        Assert.Empty(Catalog.ForGroupVersion("apps", "v1beta1"));
    }

    [Fact]
    public void Schema_names_follow_the_upstream_definition_naming()
    {
        Assert.All(Catalog.All, r =>
        {
            Assert.EndsWith("." + r.Kind, r.SchemaName);
            Assert.Contains("." + r.Version + ".", r.SchemaName);
        });
        Assert.Equal("io.k8s.api.core.v1.Pod", Catalog.Find("", "v1", "pods")!.SchemaName);
        Assert.Equal("io.k8s.api.apps.v1.Deployment", Catalog.Find("apps", "v1", "deployments")!.SchemaName);
        Assert.Equal("io.k8s.api.events.v1.Event", Catalog.Find("events.k8s.io", "v1", "events")!.SchemaName);
        Assert.Equal("io.k8s.api.rbac.v1.Role", Catalog.Find("rbac.authorization.k8s.io", "v1", "roles")!.SchemaName);
    }

    [Fact]
    public void Singulars_are_the_lower_case_kind()
    {
        Assert.All(Catalog.All, r => Assert.Equal(r.Kind.ToLowerInvariant(), r.Singular));
        Assert.Equal("endpoints", Catalog.Find("", "v1", "endpoints")!.Singular);
    }

    [Fact]
    public void A_catalog_rejects_duplicate_resources_and_keeps_core_first()
    {
        var pods = Catalog.Find("", "v1", "pods")!;
        var deployments = Catalog.Find("apps", "v1", "deployments")!;

        Assert.Throws<ArgumentException>(() => new ResourceCatalog([pods, pods]));

        var reordered = new ResourceCatalog([deployments, pods]);
        Assert.Equal(["", "apps"], reordered.Groups.Select(g => g.Name));
    }
}
