using Korral.Api.Validation;

namespace Korral.Api.Tests.Validation.Kinds;

public class NetworkAndAccessValidatorTests
{
    private static string[] Create(string group, string kind, string json) =>
        ObjectValidatorRegistry.Default.Find(group, kind)!.ValidateCreate(TestObjects.Defaulted(group, kind, json)).Select(e => e.ToString()).ToArray();

    private static string[] Update(string group, string kind, string json, string oldJson) =>
        ObjectValidatorRegistry.Default.Find(group, kind)!
            .ValidateUpdate(TestObjects.Defaulted(group, kind, json), TestObjects.Defaulted(group, kind, oldJson)).Select(e => e.ToString()).ToArray();

    private const string Ingress = """
        {"metadata":{"name":"webapp-ingress","namespace":"default"},"spec":{"rules":[{"host":"HOST","http":{"paths":[
          {"path":"PATH","pathType":"TYPE","backend":{"service":{"name":"webapp-service","port":{"number":80}}}}]}}]}}
        """;

    [Theory]
    [InlineData("mywebapp.example.com", "/", "Prefix", null)]
    [InlineData("*.example.com", "/api", "Exact", null)]
    [InlineData("10.0.0.1", "/", "Prefix", "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address")]
    [InlineData("web.example.com", "api", "Prefix", "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path")]
    [InlineData("web.example.com", "/a//b", "Prefix", "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'")]
    [InlineData("web.example.com", "/", "Regex", "spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"")]
    public void IngressRules(string host, string path, string pathType, string? expected)
    {
        var errors = Create("networking.k8s.io", "Ingress", Ingress.Replace("HOST", host).Replace("PATH", path).Replace("TYPE", pathType));
        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Fact]
    public void IngressNeedsRulesOrDefaultBackendAndAPort()
    {
        Assert.Equal(["spec.rules: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"],
            Create("networking.k8s.io", "Ingress", """{"metadata":{"name":"i","namespace":"default"},"spec":{}}"""));
        Assert.Equal(["spec.defaultBackend.service.port: Required value: port name or number is required"],
            Create("networking.k8s.io", "Ingress", """{"metadata":{"name":"i","namespace":"default"},"spec":{"defaultBackend":{"service":{"name":"web","port":{}}}}}"""));
        Assert.Equal(["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
            Create("networking.k8s.io", "Ingress", """{"metadata":{"name":"i","namespace":"default"},"spec":{"rules":[{"http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}"""));
    }

    [Fact]
    public void RbacRoleRefsAndRules()
    {
        Assert.Empty(Create("rbac.authorization.k8s.io", "RoleBinding",
            """{"metadata":{"name":"read-pods","namespace":"default"},"roleRef":{"kind":"Role","name":"pod-reader"},"subjects":[{"kind":"User","name":"jane"}]}"""));
        Assert.Equal(["roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\""],
            Create("rbac.authorization.k8s.io", "ClusterRoleBinding", """{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"}}"""));
        Assert.Equal(["roleRef.name: Required value"],
            Create("rbac.authorization.k8s.io", "ClusterRoleBinding", """{"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole"}}"""));
        Assert.Equal(["subjects[0].namespace: Required value"],
            Create("rbac.authorization.k8s.io", "ClusterRoleBinding", """{"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"default"}]}"""));
        Assert.Equal(["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef"],
            Update("rbac.authorization.k8s.io", "RoleBinding",
                """{"metadata":{"name":"b","namespace":"default"},"roleRef":{"kind":"Role","name":"other"}}""",
                """{"metadata":{"name":"b","namespace":"default"},"roleRef":{"kind":"Role","name":"r"}}"""));
        Assert.Equal(["rules[0].verbs: Required value: verbs must contain at least one value", "rules[0].resources: Required value: resource rules must supply at least one resource"],
            Create("rbac.authorization.k8s.io", "Role", """{"metadata":{"name":"r","namespace":"default"},"rules":[{"apiGroups":[""]}]}"""));
        Assert.Empty(Create("rbac.authorization.k8s.io", "ClusterRole", """{"metadata":{"name":"system:controller:x"},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]}"""));
        Assert.Equal(["metadata.name: Invalid value: \"a/b\": may not contain '/'"],
            Create("rbac.authorization.k8s.io", "ClusterRole", """{"metadata":{"name":"a/b"}}"""));
    }

    [Fact]
    public void PolicyAutoscalingDiscoveryCoordination()
    {
        Assert.Empty(Create("policy", "PodDisruptionBudget", """{"metadata":{"name":"p","namespace":"default"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}}}"""));
        Assert.Equal(["spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"],
            Create("policy", "PodDisruptionBudget", """{"metadata":{"name":"p","namespace":"default"},"spec":{"maxUnavailable":"150%"}}"""));

        Assert.Empty(Create("autoscaling", "HorizontalPodAutoscaler",
            """{"apiVersion":"autoscaling/v2","metadata":{"name":"web","namespace":"default"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":5}}"""));
        Assert.Equal(["spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`"],
            Create("autoscaling", "HorizontalPodAutoscaler",
                """{"apiVersion":"autoscaling/v2","metadata":{"name":"web","namespace":"default"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":1}}"""));

        Assert.Empty(Create("discovery.k8s.io", "EndpointSlice",
            """{"metadata":{"name":"web-abc","namespace":"default"},"addressType":"IPv4","endpoints":[{"addresses":["10.244.0.5"]}],"ports":[{"port":80}]}"""));
        Assert.Equal(["endpoints[0].addresses[0]: Invalid value: \"fe80::1\": must be a valid IPv4 address"],
            Create("discovery.k8s.io", "EndpointSlice", """{"metadata":{"name":"s","namespace":"default"},"addressType":"IPv4","endpoints":[{"addresses":["fe80::1"]}]}"""));

        Assert.Equal(["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"],
            Create("coordination.k8s.io", "Lease", """{"metadata":{"name":"node-1","namespace":"kube-node-lease"},"spec":{"leaseDurationSeconds":0}}"""));
    }

    [Fact]
    public void EndpointsAndEvents()
    {
        Assert.Empty(Create("", "Endpoints", """{"metadata":{"name":"web","namespace":"default"},"subsets":[{"addresses":[{"ip":"10.244.0.5"}],"ports":[{"port":80}]}]}"""));
        Assert.Equal(["subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"],
            Create("", "Endpoints", """{"metadata":{"name":"web","namespace":"default"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]}"""));
        Assert.Empty(Create("", "Event", """{"metadata":{"name":"web.1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web","namespace":"default"},"reason":"Started"}"""));
        Assert.Equal(["involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"],
            Create("", "Event", """{"metadata":{"name":"web.1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web","namespace":"other"}}"""));
    }
}
