using Korral.Api.Schema;

namespace Korral.Api.Tests.Generated;

public class GeneratedSchemaCatalogTests
{
    private static readonly GeneratedSchemaCatalog Catalog = GeneratedSchemaCatalog.Instance;

    private static FieldSchema Prop(string type, string name) => Catalog.Find(type)!.Properties[name];

    [Fact]
    public void PodSpecContainersMergeByName()
    {
        var containers = Prop("io.k8s.api.core.v1.PodSpec", "containers");
        Assert.Equal(FieldKind.Array, containers.Kind);
        Assert.Equal("name", containers.PatchMergeKey);
        Assert.Equal("merge", containers.PatchStrategy);
        Assert.Equal(FieldKind.Object, containers.Items!.Kind);
        Assert.Equal("io.k8s.api.core.v1.Container", containers.Items.Ref);
        Assert.Contains("containers", Catalog.Find("io.k8s.api.core.v1.PodSpec")!.Required);
    }

    [Fact]
    public void DeploymentStrategyRetainsKeys()
    {
        var strategy = Prop("io.k8s.api.apps.v1.DeploymentSpec", "strategy");
        Assert.Equal(FieldKind.Object, strategy.Kind);
        Assert.Equal("io.k8s.api.apps.v1.DeploymentStrategy", strategy.Ref);
        Assert.Equal("retainKeys", strategy.PatchStrategy);
    }

    [Fact]
    public void ServicePortsMergeByPort()
    {
        var ports = Prop("io.k8s.api.core.v1.ServiceSpec", "ports");
        Assert.Equal("port", ports.PatchMergeKey);
        Assert.Equal("merge", ports.PatchStrategy);
        Assert.Equal("map", ports.ListType);
        Assert.Equal(["port", "protocol"], ports.ListMapKeys);
    }

    [Fact]
    public void SpecialValueTypesHaveTheirKinds()
    {
        Assert.Equal(FieldKind.IntOrString, Prop("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge").Kind);
        Assert.Equal(FieldKind.IntOrString, Prop("io.k8s.api.core.v1.ServicePort", "targetPort").Kind);
        var limits = Prop("io.k8s.api.core.v1.ResourceRequirements", "limits");
        Assert.Equal(FieldKind.Map, limits.Kind);
        Assert.Equal(FieldKind.Quantity, limits.Items!.Kind);
        Assert.Equal(FieldKind.Time, Prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp").Kind);
        Assert.Equal(FieldKind.MicroTime, Prop("io.k8s.api.events.v1.Event", "eventTime").Kind);
        Assert.Equal(FieldKind.Bytes, Prop("io.k8s.api.core.v1.Secret", "data").Items!.Kind);
        Assert.Equal(FieldKind.Any, Prop("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", "fieldsV1").Kind);
        Assert.Equal(FieldKind.Any, Prop("io.k8s.api.apps.v1.ControllerRevision", "data").Kind);
    }

    [Fact]
    public void FindsDeploymentByKind()
    {
        var t = Catalog.FindByKind(new GroupVersionKind("apps", "v1", "Deployment"));
        Assert.NotNull(t);
        Assert.Equal("io.k8s.api.apps.v1.Deployment", t.Name);
        Assert.Equal("io.k8s.api.core.v1.Pod", Catalog.FindByKind(GroupVersionKind.FromApiVersion("v1", "Pod"))!.Name);
        Assert.Null(Catalog.FindByKind(new GroupVersionKind("apps", "v1", "Nope")));
    }

    [Fact]
    public void ListMetadataAndFreeFormTypes()
    {
        var finalizers = Prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers");
        Assert.Equal("merge", finalizers.PatchStrategy);
        Assert.Equal(FieldKind.String, finalizers.Items!.Kind);
        Assert.True(Catalog.Find("io.k8s.apimachinery.pkg.runtime.RawExtension")!.PreserveUnknownFields);
        Assert.Equal("atomic", Prop("io.k8s.api.apps.v1.DeploymentSpec", "selector").MapType);
        Assert.True(Catalog.Types.Count > 500);
    }
}
