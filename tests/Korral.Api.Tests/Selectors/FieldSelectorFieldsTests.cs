using System.Text.Json.Nodes;
using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class FieldSelectorFieldsTests
{
    private static readonly JsonObject Pod = Parse("""
        {"metadata":{"name":"web-1","namespace":"demo"},
         "spec":{"nodeName":"node-1","restartPolicy":"Always","schedulerName":"default-scheduler","serviceAccount":"builder","hostNetwork":true},
         "status":{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.7"},{"ip":"fd00::7"}],"nominatedNodeName":"node-2"}}
        """);

    private static readonly JsonObject CoreEvent = Parse("""
        {"metadata":{"name":"p1.17f","namespace":"demo"},
         "involvedObject":{"kind":"Pod","namespace":"demo","name":"p1","uid":"u-1","apiVersion":"v1","resourceVersion":"42","fieldPath":"spec.containers{app}"},
         "reason":"Pulled","type":"Normal","source":{"component":"kubelet","host":"node-1"},"reportingComponent":"kubelet"}
        """);

    private static readonly JsonObject NewEvent = Parse("""
        {"metadata":{"name":"web.18a","namespace":"demo"},
         "regarding":{"kind":"Deployment","namespace":"demo","name":"web","uid":"u-2","apiVersion":"apps/v1"},
         "reason":"ScalingReplicaSet","type":"Normal","reportingController":"deployment-controller","note":"Scaled up"}
        """);

    public static TheoryData<string, string, string, string, string> Values => new()
    {
        // group, kind, object name, field, expected value
        { "", "Pod", "pod", "metadata.name", "web-1" },
        { "", "Pod", "pod", "metadata.namespace", "demo" },
        { "", "Pod", "pod", "spec.nodeName", "node-1" },
        { "", "Pod", "pod", "spec.restartPolicy", "Always" },
        { "", "Pod", "pod", "spec.schedulerName", "default-scheduler" },
        { "", "Pod", "pod", "spec.serviceAccountName", "builder" },
        { "", "Pod", "pod", "spec.hostNetwork", "true" },
        { "", "Pod", "pod", "status.phase", "Running" },
        { "", "Pod", "pod", "status.podIP", "10.0.0.7" },
        { "", "Pod", "pod", "status.nominatedNodeName", "node-2" },
        { "", "Pod", "empty", "spec.hostNetwork", "false" },
        { "", "Pod", "empty", "spec.nodeName", "" },
        { "", "Event", "coreEvent", "involvedObject.kind", "Pod" },
        { "", "Event", "coreEvent", "involvedObject.namespace", "demo" },
        { "", "Event", "coreEvent", "involvedObject.name", "p1" },
        { "", "Event", "coreEvent", "involvedObject.uid", "u-1" },
        { "", "Event", "coreEvent", "involvedObject.apiVersion", "v1" },
        { "", "Event", "coreEvent", "involvedObject.resourceVersion", "42" },
        { "", "Event", "coreEvent", "involvedObject.fieldPath", "spec.containers{app}" },
        { "", "Event", "coreEvent", "reason", "Pulled" },
        { "", "Event", "coreEvent", "reportingComponent", "kubelet" },
        { "", "Event", "coreEvent", "source", "kubelet" },
        { "", "Event", "coreEvent", "type", "Normal" },
        { "", "Event", "newEvent", "involvedObject.name", "web" },
        { "", "Event", "newEvent", "reportingComponent", "deployment-controller" },
        { "", "Event", "newEvent", "source", "deployment-controller" },
        { "", "Secret", "secret", "type", "kubernetes.io/tls" },
        { "", "Node", "node", "spec.unschedulable", "true" },
        { "", "Node", "empty", "spec.unschedulable", "false" },
        { "", "Namespace", "namespace", "status.phase", "Terminating" },
        { "batch", "Job", "job", "status.successful", "3" },
        { "batch", "Job", "empty", "status.successful", "0" },
        { "apps", "ReplicaSet", "replicaSet", "status.replicas", "2" },
        { "", "ReplicationController", "empty", "status.replicas", "0" },
        { "", "Service", "service", "spec.type", "NodePort" },
        { "", "ConfigMap", "secret", "metadata.name", "tls" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Extracts_field_values(string group, string kind, string objectName, string field, string expected) =>
        Assert.Equal(expected, FieldSelectorFields.GetValue(group, kind, Objects[objectName], field));

    [Theory]
    [InlineData("", "Pod", "spec.foo", "field label not supported: spec.foo")]
    [InlineData("", "Pod", "status.hostIP", "field label not supported: status.hostIP")]
    [InlineData("", "Node", "metadata.namespace", "field label not supported: metadata.namespace")]
    [InlineData("", "Namespace", "metadata.namespace", "field label not supported: metadata.namespace")]
    [InlineData("", "Event", "regarding.name", "field label not supported: regarding.name")]
    [InlineData("events.k8s.io", "Event", "involvedObject.name", "field label not supported: involvedObject.name")]
    [InlineData("", "Secret", "data", "field label not supported: data")]
    [InlineData("batch", "Job", "status.succeeded", "field label \"status.succeeded\" not supported for batchv1.Job")]
    [InlineData("", "ConfigMap", "data.key", "\"data.key\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("apps", "Deployment", "spec.replicas", "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("example.com", "Widget", " metadata.name", "\" metadata.name\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    public void Rejects_unknown_fields_with_upstream_message(string group, string kind, string field, string expected)
    {
        var selector = FieldSelector.Parse(field + "=x");
        Assert.False(FieldSelectorFields.TryConvert(group, kind, selector, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("", "Pod", "metadata.name,metadata.namespace,spec.host,spec.hostNetwork,spec.nodeName,spec.restartPolicy,spec.schedulerName,spec.serviceAccountName,status.nominatedNodeName,status.phase,status.podIP")]
    [InlineData("", "Node", "metadata.name,spec.unschedulable")]
    [InlineData("", "Namespace", "metadata.name,status.phase")]
    [InlineData("", "Secret", "metadata.name,metadata.namespace,type")]
    [InlineData("", "ConfigMap", "metadata.name,metadata.namespace")]
    [InlineData("apps", "ReplicaSet", "metadata.name,metadata.namespace,status.replicas")]
    [InlineData("", "ReplicationController", "metadata.name,metadata.namespace,status.replicas")]
    [InlineData("batch", "Job", "metadata.name,metadata.namespace,status.successful")]
    [InlineData("", "Event", "involvedObject.apiVersion,involvedObject.fieldPath,involvedObject.kind,involvedObject.name,involvedObject.namespace,involvedObject.resourceVersion,involvedObject.uid,metadata.name,metadata.namespace,reason,reportingComponent,source,type")]
    [InlineData("events.k8s.io", "Event", "metadata.name,metadata.namespace,reason,regarding.apiVersion,regarding.fieldPath,regarding.kind,regarding.name,regarding.namespace,regarding.resourceVersion,regarding.uid,reportingController,source,type")]
    public void Lists_supported_fields(string group, string kind, string expected) =>
        Assert.Equal(expected, string.Join(",", FieldSelectorFields.Supported(group, kind)));

    [Fact]
    public void Converts_aliases_to_stored_fields()
    {
        Assert.True(FieldSelectorFields.TryConvert("", "Pod", FieldSelector.Parse("spec.host=node-1"), out var pod, out _));
        Assert.Equal("spec.nodeName=node-1", pod.ToString());
        Assert.True(FieldSelectorFields.Matches("", "Pod", FieldSelector.Parse("spec.host=node-1"), Pod));

        Assert.True(FieldSelectorFields.TryConvert("events.k8s.io", "Event", FieldSelector.Parse("regarding.name=web,reportingController=deployment-controller"), out var events, out _));
        Assert.Equal("involvedObject.name=web,reportingComponent=deployment-controller", events.ToString());
    }

    [Theory]
    [InlineData("", "Event", "coreEvent", "involvedObject.namespace=demo,involvedObject.uid=u-1,involvedObject.name=p1", true)]
    [InlineData("", "Event", "coreEvent", "involvedObject.namespace=demo,involvedObject.uid=u-9,involvedObject.name=p1", false)]
    [InlineData("", "Event", "newEvent", "involvedObject.kind=Deployment,involvedObject.name=web", true)]
    [InlineData("events.k8s.io", "Event", "coreEvent", "regarding.uid=u-1,reason=Pulled", true)]
    [InlineData("events.k8s.io", "Event", "newEvent", "regarding.kind=Deployment,type!=Warning", true)]
    [InlineData("", "Pod", "pod", "metadata.name=web-1", true)]
    [InlineData("", "Pod", "pod", "spec.nodeName=node-1,status.phase!=Succeeded", true)]
    [InlineData("", "Pod", "pod", "spec.nodeName=", false)]
    [InlineData("", "Pod", "empty", "spec.nodeName=", true)]
    [InlineData("", "Pod", "pod", "spec.foo=bar", false)]
    public void Matches_objects(string group, string kind, string objectName, string selector, bool expected) =>
        Assert.Equal(expected, FieldSelectorFields.Matches(group, kind, FieldSelector.Parse(selector), Objects[objectName]));

    [Fact]
    public void Generic_sets_are_shared()
    {
        Assert.Same(FieldSelectorFields.For("example.com", "Widget"), FieldSelectorFields.For("example.com", "Widget"));
        Assert.Equal(["metadata.name", "metadata.namespace"], FieldSelectorFields.Supported("example.com", "Widget"));
    }

    private static readonly Dictionary<string, JsonObject> Objects = new()
    {
        ["pod"] = Pod,
        ["empty"] = new JsonObject(),
        ["coreEvent"] = CoreEvent,
        ["newEvent"] = NewEvent,
        ["secret"] = Parse("""{"metadata":{"name":"tls","namespace":"demo"},"type":"kubernetes.io/tls"}"""),
        ["node"] = Parse("""{"metadata":{"name":"n1"},"spec":{"unschedulable":true}}"""),
        ["namespace"] = Parse("""{"metadata":{"name":"old"},"status":{"phase":"Terminating"}}"""),
        ["job"] = Parse("""{"metadata":{"name":"pi"},"status":{"succeeded":3}}"""),
        ["replicaSet"] = Parse("""{"metadata":{"name":"web-5d"},"status":{"replicas":2}}"""),
        ["service"] = Parse("""{"metadata":{"name":"web"},"spec":{"type":"NodePort","clusterIP":"10.96.0.20"}}"""),
    };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
