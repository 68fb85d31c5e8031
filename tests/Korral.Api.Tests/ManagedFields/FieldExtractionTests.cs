using Korral.Api.ManagedFields;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

/// <summary>The fields an applied configuration sets, read through the built-in schema.</summary>
public class FieldExtractionTests
{
    private readonly FieldManager manager = NewManager().Manager;

    [Fact]
    public void DeploymentFields()
    {
        var set = manager.FieldsOf(WebDeployment(), Deployment);
        Assert.Equal(
            "{\"f:apiVersion\":{},\"f:kind\":{},"
            + "\"f:metadata\":{\"f:labels\":{\"f:app\":{}},\"f:name\":{},\"f:namespace\":{}},"
            + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},"
            + "\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
            + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},"
            + "\"f:env\":{\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
            + "\"f:image\":{},\"f:name\":{},"
            + "\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}},"
            + "\"f:volumes\":{\"k:{\\\"name\\\":\\\"data\\\"}\":{\".\":{},\"f:emptyDir\":{},\"f:name\":{}}}}}}}",
            set.ToFieldsV1Json());
    }

    public static TheoryData<string, string> PodCases => new()
    {
        // a fragment of a Pod's spec or metadata, the paths it sets (besides apiVersion and kind)
        { """{"metadata":{"finalizers":["example.com/a","example.com/b"]}}""",
          ".metadata.finalizers[=\"example.com/a\"] .metadata.finalizers[=\"example.com/b\"]" },
        { """{"metadata":{"labels":{"app":"web","tier":"fe"}}}""", ".metadata.labels.app .metadata.labels.tier" },
        { """{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1"}]}}""",
          ".metadata.ownerReferences[uid=\"u1\"]" },
        { """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":53,"protocol":"UDP"},{"containerPort":53}]}]}}""",
          ".spec.containers[name=\"a\"] .spec.containers[name=\"a\"].name "
          + ".spec.containers[name=\"a\"].ports[containerPort=53,protocol=\"TCP\"] .spec.containers[name=\"a\"].ports[containerPort=53,protocol=\"UDP\"] "
          + ".spec.containers[name=\"a\"].ports[containerPort=53,protocol=\"TCP\"].containerPort "
          + ".spec.containers[name=\"a\"].ports[containerPort=53,protocol=\"UDP\"].containerPort "
          + ".spec.containers[name=\"a\"].ports[containerPort=53,protocol=\"UDP\"].protocol" },
        { """{"spec":{"containers":[{"name":"a","args":["x","y"],"command":["sh"]}]}}""",
          ".spec.containers[name=\"a\"] .spec.containers[name=\"a\"].args .spec.containers[name=\"a\"].command .spec.containers[name=\"a\"].name" },
        { """{"spec":{"containers":[{"name":"a","env":[{"name":"E","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}]}}""",
          ".spec.containers[name=\"a\"] .spec.containers[name=\"a\"].name .spec.containers[name=\"a\"].env[name=\"E\"] "
          + ".spec.containers[name=\"a\"].env[name=\"E\"].name .spec.containers[name=\"a\"].env[name=\"E\"].valueFrom.fieldRef" },
        { """{"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"v","mountPath":"/data"}]}]}}""",
          ".spec.containers[name=\"a\"] .spec.containers[name=\"a\"].name .spec.containers[name=\"a\"].volumeMounts[mountPath=\"/data\"] "
          + ".spec.containers[name=\"a\"].volumeMounts[mountPath=\"/data\"].mountPath .spec.containers[name=\"a\"].volumeMounts[mountPath=\"/data\"].name" },
        { """{"spec":{"volumes":[{"name":"v","configMap":{"name":"cm"}}]}}""",
          ".spec.volumes[name=\"v\"] .spec.volumes[name=\"v\"].name .spec.volumes[name=\"v\"].configMap.name" },
        { """{"spec":{"tolerations":[{"key":"k","operator":"Exists"}],"nodeSelector":{"disk":"ssd"}}}""",
          ".spec.nodeSelector .spec.tolerations" },
        { """{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[]}]}}}}}""",
          ".spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution" },
        { """{"spec":{"securityContext":{},"containers":[{"name":"a","resources":{"limits":{"cpu":"1"}}}]}}""",
          ".spec.securityContext .spec.containers[name=\"a\"] .spec.containers[name=\"a\"].name .spec.containers[name=\"a\"].resources.limits.cpu" },
        { """{"spec":{"topologySpreadConstraints":[{"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","maxSkew":1}]}}""",
          ".spec.topologySpreadConstraints[topologyKey=\"zone\",whenUnsatisfiable=\"DoNotSchedule\"] "
          + ".spec.topologySpreadConstraints[topologyKey=\"zone\",whenUnsatisfiable=\"DoNotSchedule\"].maxSkew "
          + ".spec.topologySpreadConstraints[topologyKey=\"zone\",whenUnsatisfiable=\"DoNotSchedule\"].topologyKey "
          + ".spec.topologySpreadConstraints[topologyKey=\"zone\",whenUnsatisfiable=\"DoNotSchedule\"].whenUnsatisfiable" },
        { """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
          ".status.conditions[type=\"Ready\"] .status.conditions[type=\"Ready\"].status .status.conditions[type=\"Ready\"].type" },
        { """{"spec":{"containers":null,"nodeName":null}}""", ".spec.containers .spec.nodeName" },
    };

    [Theory]
    [MemberData(nameof(PodCases))]
    public void PodFields(string fragment, string expected)
    {
        var pod = Parse(fragment);
        pod["apiVersion"] = "v1";
        pod["kind"] = "Pod";
        var paths = manager.FieldsOf(pod, Pod).Paths.Select(p => p.ToString()).Where(p => p is not ".apiVersion" and not ".kind");
        Assert.Equal(expected, string.Join(" ", paths));
    }

    [Fact]
    public void LabelSelectorsAreAtomicAndLabelsGranular()
    {
        var set = manager.FieldsOf(WebDeployment(), Deployment);
        Assert.True(set.Has(FieldSetPath.Fields("spec", "selector")));
        Assert.False(set.Has(FieldSetPath.Fields("spec", "selector", "matchLabels")));
        Assert.True(set.Has(FieldSetPath.Fields("metadata", "labels", "app")));
        Assert.False(set.Has(FieldSetPath.Fields("metadata", "labels")));
    }

    [Theory]
    [InlineData("""{"spec":{"containers":[{"name":"a"},{"name":"a"}]}}""", ".spec.containers: duplicate entries for key [name=\"a\"]")]
    [InlineData("""{"metadata":{"finalizers":["x","x"]}}""", ".metadata.finalizers: duplicate entries for key [=\"x\"]")]
    [InlineData("""{"spec":{"containers":[{"name":"a"},"b"]}}""", ".spec.containers: element 1: associative list with keys may not have non-map elements")]
    [InlineData("""{"spec":{"containers":{"name":"a"}}}""", ".spec.containers: expected list, got map")]
    [InlineData("""{"spec":{"containers":[{"name":"a","ports":[{"protocol":"TCP","hostPort":1,"containerPort":2},{"containerPort":2}]}]}}""",
        ".spec.containers[name=\"a\"].ports: duplicate entries for key [containerPort=2,protocol=\"TCP\"]")]
    public void BadConfigurationsAreRefused(string fragment, string error)
    {
        var pod = Parse(fragment);
        pod["apiVersion"] = "v1";
        pod["kind"] = "Pod";
        var e = Assert.Throws<ApplyException>(() => manager.FieldsOf(pod, Pod));
        Assert.Equal(error, e.Message);
    }
}
