using System.Text.Json.Nodes;
using Korral.Api.Patching;
using Korral.Api.Schema;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

/// <summary>Patches recorded from real kubectl runs (docs/kubectl-compat.md §4.2), replayed against realistic objects.</summary>
public class KubectlApplyPatchTests
{
    private const string Deployment = "io.k8s.api.apps.v1.Deployment";

    private static readonly StrategicMergePatch Smp = new(GeneratedSchemaCatalog.Instance);

    // The live object before the re-apply: two containers, two env vars, two ports, two labels, RollingUpdate, emptyDir.
    private const string Live = """
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {
            "name": "web", "namespace": "demo", "uid": "0b3c1f5e-1111-2222-3333-444455556666", "resourceVersion": "1234",
            "generation": 2, "creationTimestamp": "2026-11-21T10:00:00Z",
            "labels": {"a": "1", "b": "2"},
            "annotations": {"deployment.kubernetes.io/revision": "2", "kubectl.kubernetes.io/last-applied-configuration": "{}"}
          },
          "spec": {
            "replicas": 2, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
              "metadata": {"labels": {"app": "web"}},
              "spec": {
                "containers": [
                  {"name": "a", "image": "nginx:1.27", "args": ["x"],
                   "env": [{"name": "E1", "value": "one"}, {"name": "E2", "value": "two"}],
                   "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}],
                   "volumeMounts": [{"name": "v1", "mountPath": "/data"}],
                   "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                   "imagePullPolicy": "IfNotPresent"},
                  {"name": "b", "image": "busybox:1.36", "command": ["sleep", "3600"], "resources": {},
                   "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}
                ],
                "volumes": [{"name": "v1", "emptyDir": {}}],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": {}, "schedulerName": "default-scheduler"
              }
            }
          },
          "status": {"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}
        }
        """;

    // Exactly what kubectl 1.33 sent (docs/kubectl-compat.md §4.2).
    private const string KubectlPatch = """
        {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"..."},"labels":{"b":null}},
         "spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
          "template":{"spec":{
           "$setElementOrder/containers":[{"name":"a"}],
           "$setElementOrder/volumes":[{"name":"v1"}],
           "containers":[
             {"name":"a","$setElementOrder/env":[{"name":"E2"}],"$setElementOrder/ports":[{"containerPort":80}],
              "args":["y"],
              "env":[{"$patch":"delete","name":"E1"}],
              "ports":[{"$patch":"delete","containerPort":443}]},
             {"$patch":"delete","name":"b"}],
           "volumes":[{"$retainKeys":["hostPath","name"],"emptyDir":null,"hostPath":{"path":"/tmp"},"name":"v1"}]}}}}
        """;

    [Fact]
    public void Client_side_apply_patch_from_kubectl_compat_4_2()
    {
        var patch = (JsonObject)JsonNode.Parse(KubectlPatch)!;
        var before = patch.ToJsonString();

        var result = Smp.Apply((JsonObject)JsonNode.Parse(Live)!, patch, Deployment);

        Assert.Equal(before, patch.ToJsonString());
        Assert.Equal(Canonical(Object("{'a':'1'}")), Canonical(result["metadata"]!["labels"]));
        Assert.Equal("...", (string?)result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);
        Assert.Equal("2", (string?)result["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]);
        Assert.Equal(Canonical(Object("{'type':'Recreate'}")), Canonical(result["spec"]!["strategy"]));

        var podSpec = result["spec"]!["template"]!["spec"]!;
        var containers = podSpec["containers"]!.AsArray();
        var a = Assert.Single(containers)!;
        Assert.Equal("a", (string?)a["name"]);
        Assert.Equal("nginx:1.27", (string?)a["image"]);
        Assert.Equal(Canonical(Parse("['y']")), Canonical(a["args"]));
        Assert.Equal(Canonical(Parse("[{'name':'E2','value':'two'}]")), Canonical(a["env"]));
        Assert.Equal(Canonical(Parse("[{'containerPort':80,'protocol':'TCP'}]")), Canonical(a["ports"]));
        Assert.Equal(Canonical(Parse("[{'name':'v1','mountPath':'/data'}]")), Canonical(a["volumeMounts"]));
        Assert.Equal(Canonical(Parse("[{'name':'v1','hostPath':{'path':'/tmp'}}]")), Canonical(podSpec["volumes"]));
        Assert.Equal("Always", (string?)podSpec["restartPolicy"]);
        Assert.Equal(2, (int?)result["spec"]!["replicas"]);
        Assert.Equal(2, (int?)result["status"]!["readyReplicas"]);
    }
}
