using System.Text.Json.Nodes;
using Korral.Api.Defaulting;

namespace Korral.Api.Tests.Defaulting;

/// <summary>The functions the server calls itself: admission plugins, job selectors, generated names, services.</summary>
public class DefaultingHelperTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("docker.io/library/nginx", "Always")]
    [InlineData("localhost:5000/team/app", "Always")]
    [InlineData("localhost:5000/team/app:v2", "IfNotPresent")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    [InlineData("nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always")]
    [InlineData("Nginx", "IfNotPresent")]
    [InlineData("", "IfNotPresent")]
    public void PullPolicyFollowsTheTag(string image, string expected) => Assert.Equal(expected, PodSpecDefaults.PullPolicyFor(image));

    [Fact]
    public void ExplicitPullPolicyIsKept()
    {
        var container = Parse("""{"name":"a","image":"nginx","imagePullPolicy":"Never"}""");
        PodSpecDefaults.DefaultContainer(container);
        Assert.Equal("Never", (string?)container["imagePullPolicy"]);
    }

    [Fact]
    public void ProbeDefaults()
    {
        var probe = Parse("""{"httpGet":{"port":8080},"periodSeconds":5}""");
        PodSpecDefaults.DefaultProbe(probe);
        AssertJson("""
            {"httpGet":{"port":8080,"path":"/","scheme":"HTTP"},"periodSeconds":5,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3}
            """, probe);
    }

    [Fact]
    public void PodRequestsDefaultToLimits()
    {
        var pod = Parse("""
            {"spec":{"containers":[{"name":"a","image":"x:1","resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"100m"}}}]}}
            """);
        PodSpecDefaults.DefaultPod(pod);
        AssertJson("""{"cpu":"100m","memory":"128Mi"}""", pod["spec"]!["containers"]![0]!["resources"]!["requests"]);
    }

    [Fact]
    public void HostNetworkPodsGetHostPorts()
    {
        var pod = Parse("""{"spec":{"hostNetwork":true,"containers":[{"name":"a","image":"x:1","ports":[{"containerPort":8080}]}]}}""");
        PodSpecDefaults.DefaultPod(pod);
        AssertJson("""{"containerPort":8080,"hostPort":8080,"protocol":"TCP"}""", pod["spec"]!["containers"]![0]!["ports"]![0]);
    }

    [Theory]
    [InlineData("""[{"name":"a","image":"x"}]""", "BestEffort")]
    [InlineData("""[{"name":"a","image":"x","resources":{"requests":{"cpu":"100m"}}}]""", "Burstable")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1","memory":"1Gi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m","memory":"1Gi"}}}]""", "Burstable")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1000m","memory":"1024Mi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},{"name":"b","image":"x"}]""", "Burstable")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"ephemeral-storage":"1Gi"}}}]""", "BestEffort")]
    public void QosClass(string containers, string expected)
    {
        var pod = Parse("""{"spec":{"containers":""" + containers + "}}");
        PodSpecDefaults.DefaultPod(pod);
        Assert.Equal(expected, PodDefaults.QosClass(pod));
    }

    [Fact]
    public void PodCreateStatusIsPending()
    {
        var pod = Parse("""{"spec":{"containers":[{"name":"a","image":"x"}]},"status":{"phase":"Running","podIP":"10.0.0.1"}}""");
        new PodDefaults().PrepareForCreate(pod);
        AssertJson("""{"phase":"Pending","qosClass":"BestEffort"}""", pod["status"]);
    }

    [Fact]
    public void ServiceAccountAdmissionMountsTheToken()
    {
        var pod = Parse("""
            {"metadata":{"name":"p","namespace":"default"},
             "spec":{"initContainers":[{"name":"init","image":"x"}],"containers":[{"name":"a","image":"x","volumeMounts":[{"name":"data","mountPath":"/data"}]}],
                     "volumes":[{"name":"data","emptyDir":{}}]}}
            """);
        PodAdmission.ApplyServiceAccount(pod, random: new Random(7));
        var spec = pod["spec"]!.AsObject();
        Assert.Equal("default", (string?)spec["serviceAccountName"]);
        Assert.Equal("default", (string?)spec["serviceAccount"]);
        var volumes = spec["volumes"]!.AsArray();
        Assert.Equal(2, volumes.Count);
        var name = (string)volumes[1]!["name"]!;
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
        AssertJson(PodAdmission.TokenVolume(name).ToJsonString(), volumes[1]);
        var mount = $$"""{"name":"{{name}}","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}""";
        AssertJson($$"""[{{mount}}]""", spec["initContainers"]![0]!["volumeMounts"]);
        AssertJson($$"""[{"name":"data","mountPath":"/data"},{{mount}}]""", spec["containers"]![0]!["volumeMounts"]);
        Assert.Equal(3607, (int)volumes[1]!["projected"]!["sources"]![0]!["serviceAccountToken"]!["expirationSeconds"]!);
        Assert.Equal(420, (int)volumes[1]!["projected"]!["defaultMode"]!);
    }

    [Fact]
    public void ServiceAccountAdmissionIsIdempotent()
    {
        var pod = Parse("""{"spec":{"serviceAccountName":"builder","containers":[{"name":"a","image":"x"}]}}""");
        PodAdmission.ApplyServiceAccount(pod);
        var once = pod.DeepClone();
        PodAdmission.ApplyServiceAccount(pod);
        Assert.True(JsonNode.DeepEquals(once, pod));
        Assert.Equal("builder", (string?)pod["spec"]!["serviceAccount"]);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(null, false)]
    [InlineData(false, true)]
    public void ServiceAccountAutomountCanBeTurnedOff(bool? podAutomount, bool? accountAutomount)
    {
        var pod = Parse("""{"spec":{"containers":[{"name":"a","image":"x"}]}}""");
        if (podAutomount is { } p)
        {
            pod["spec"]!["automountServiceAccountToken"] = p;
        }

        PodAdmission.ApplyServiceAccount(pod, accountAutomount);
        Assert.Null(pod["spec"]!["volumes"]);
        Assert.Null(pod["spec"]!["containers"]![0]!["volumeMounts"]);
        Assert.Equal("default", (string?)pod["spec"]!["serviceAccountName"]);
    }

    [Fact]
    public void PodAutomountOverridesTheAccount()
    {
        var pod = Parse("""{"spec":{"automountServiceAccountToken":true,"containers":[{"name":"a","image":"x"}]}}""");
        PodAdmission.ApplyServiceAccount(pod, accountAutomount: false);
        Assert.Single(pod["spec"]!["volumes"]!.AsArray());
    }

    [Fact]
    public void ExistingTokenMountIsRespected()
    {
        var pod = Parse("""
            {"spec":{"containers":[{"name":"a","image":"x","volumeMounts":[{"name":"mine","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
                     "volumes":[{"name":"mine","secret":{"secretName":"token"}}]}}
            """);
        var before = pod["spec"]!["volumes"]!.DeepClone();
        PodAdmission.ApplyServiceAccount(pod);
        Assert.True(JsonNode.DeepEquals(before, pod["spec"]!["volumes"]));
        Assert.Single(pod["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray());
    }

    [Fact]
    public void MirrorPodsAreLeftAlone()
    {
        var pod = Parse("""{"metadata":{"annotations":{"kubernetes.io/config.mirror":"abc"}},"spec":{"containers":[{"name":"a","image":"x"}]}}""");
        var before = pod.DeepClone();
        PodAdmission.ApplyServiceAccount(pod);
        Assert.True(JsonNode.DeepEquals(before, pod));
    }

    [Fact]
    public void DefaultTolerationSecondsAdded()
    {
        var pod = Parse("""{"spec":{"containers":[{"name":"a","image":"x"}],"tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule"}]}}""");
        PodAdmission.ApplyDefaultTolerationSeconds(pod);
        AssertJson("""
            [{"key":"gpu","operator":"Exists","effect":"NoSchedule"},
             {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
             {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]
            """, pod["spec"]!["tolerations"]);
    }

    [Theory]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]""", 2)]
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists"}]""", 2)]
    [InlineData("""[{"operator":"Exists"}]""", 1)]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoSchedule"}]""", 3)]
    public void ExistingTolerationsAreNotDuplicated(string tolerations, int expectedCount)
    {
        var pod = Parse("""{"spec":{"containers":[{"name":"a","image":"x"}],"tolerations":""" + tolerations + "}}");
        PodAdmission.ApplyDefaultTolerationSeconds(pod);
        Assert.Equal(expectedCount, pod["spec"]!["tolerations"]!.AsArray().Count);
    }

    private static (long, string?)? Lookup(string name) => name switch
    {
        "high" => (1000, "PreemptLowerPriority"),
        "batch" => (10, "Never"),
        _ => null,
    };

    [Theory]
    [InlineData("""{}""", null, 0L, "PreemptLowerPriority")]
    [InlineData("""{"priorityClassName":"high"}""", null, 1000L, "PreemptLowerPriority")]
    [InlineData("""{"priorityClassName":"batch"}""", null, 10L, "Never")]
    [InlineData("""{"priorityClassName":"system-node-critical"}""", null, 2000001000L, "PreemptLowerPriority")]
    [InlineData("""{"priorityClassName":"system-cluster-critical"}""", null, 2000000000L, "PreemptLowerPriority")]
    [InlineData("""{"priorityClassName":"high","priority":1000}""", null, 1000L, "PreemptLowerPriority")]
    [InlineData("""{"priorityClassName":"missing"}""", "no PriorityClass with name missing was found", 0L, null)]
    [InlineData("""{"priorityClassName":"high","priority":5}""",
        "the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name", 0L, null)]
    [InlineData("""{"priorityClassName":"batch","preemptionPolicy":"PreemptLowerPriority"}""",
        "the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name", 0L, null)]
    public void PriorityAdmission(string spec, string? error, long priority, string? policy)
    {
        var pod = Parse("""{"spec":""" + spec + "}");
        Assert.Equal(error, PodAdmission.ApplyPriority(pod, Lookup));
        if (error is null)
        {
            Assert.Equal(priority, (long)pod["spec"]!["priority"]!);
            Assert.Equal(policy, (string?)pod["spec"]!["preemptionPolicy"]);
        }
    }

    [Fact]
    public void PriorityGlobalDefaultClass()
    {
        var pod = Parse("""{"spec":{}}""");
        Assert.Null(PodAdmission.ApplyPriority(pod, Lookup, ("cluster-default", 50, null)));
        AssertJson("""{"priorityClassName":"cluster-default","priority":50}""", pod["spec"]);
    }

    [Fact]
    public void JobSelectorGenerated()
    {
        var job = Parse("""
            {"metadata":{"name":"pi"},"spec":{"template":{"metadata":{"labels":{"app":"pi"}},"spec":{"containers":[{"name":"pi","image":"perl"}],"restartPolicy":"Never"}}}}
            """);
        WorkloadDefaults.Job(job);
        JobDefaults.GenerateSelector(job, "0f6e1f3c-1111-2222-3333-444455556666");
        const string labels = """
            {"app":"pi","job-name":"pi","batch.kubernetes.io/job-name":"pi",
             "controller-uid":"0f6e1f3c-1111-2222-3333-444455556666","batch.kubernetes.io/controller-uid":"0f6e1f3c-1111-2222-3333-444455556666"}
            """;
        AssertJson(labels, job["spec"]!["template"]!["metadata"]!["labels"]);
        AssertJson(labels, job["metadata"]!["labels"]);
        AssertJson("""{"matchLabels":{"batch.kubernetes.io/controller-uid":"0f6e1f3c-1111-2222-3333-444455556666"}}""", job["spec"]!["selector"]);
    }

    [Fact]
    public void JobWithOwnLabelsKeepsThem()
    {
        var job = Parse("""
            {"metadata":{"name":"pi","labels":{"team":"a"}},"spec":{"template":{"metadata":{"labels":{"app":"pi"}},"spec":{"containers":[{"name":"pi","image":"perl"}]}}}}
            """);
        WorkloadDefaults.Job(job);
        JobDefaults.GenerateSelector(job, "u1");
        AssertJson("""{"team":"a"}""", job["metadata"]!["labels"]);
        Assert.Equal("u1", (string?)job["spec"]!["template"]!["metadata"]!["labels"]!["batch.kubernetes.io/controller-uid"]);
    }

    [Fact]
    public void ManualSelectorIsNotTouched()
    {
        var job = Parse("""
            {"metadata":{"name":"pi"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"app":"pi"}},
             "template":{"metadata":{"labels":{"app":"pi"}},"spec":{"containers":[{"name":"pi","image":"perl"}]}}}}
            """);
        var before = job.DeepClone();
        JobDefaults.GenerateSelector(job, "u1");
        Assert.True(JsonNode.DeepEquals(before, job));
    }

    [Fact]
    public void JobPodReplacementPolicyDependsOnPodFailurePolicy()
    {
        var job = Parse("""
            {"metadata":{"name":"pi"},"spec":{"podFailurePolicy":{"rules":[]},"template":{"spec":{"containers":[{"name":"pi","image":"perl"}],"restartPolicy":"Never"}}}}
            """);
        WorkloadDefaults.Job(job);
        Assert.Equal("Failed", (string?)job["spec"]!["podReplacementPolicy"]);
    }

    [Fact]
    public void IndexedJobBackoffLimitPerIndex()
    {
        var job = Parse("""
            {"metadata":{"name":"pi"},"spec":{"completionMode":"Indexed","completions":4,"backoffLimitPerIndex":1,
             "template":{"spec":{"containers":[{"name":"pi","image":"perl"}],"restartPolicy":"Never"}}}}
            """);
        WorkloadDefaults.Job(job);
        Assert.Equal(int.MaxValue, job["spec"]!["backoffLimit"]!.GetValue<int>());
        Assert.Equal(1, job["spec"]!["parallelism"]!.GetValue<int>());
        Assert.Equal(4, job["spec"]!["completions"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("web-", 9)]
    [InlineData("a-very-long-generate-name-prefix-that-goes-well-beyond-the-limit-", 63)]
    public void GeneratedNames(string prefix, int expectedLength)
    {
        var name = NameGenerator.Generate(prefix, new Random(1));
        Assert.Equal(expectedLength, name.Length);
        Assert.StartsWith(prefix[..Math.Min(prefix.Length, 58)], name, StringComparison.Ordinal);
        Assert.Matches("[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
    }

    [Fact]
    public void SecretStringDataWinsOverData()
    {
        var secret = Parse("""{"data":{"a":"eA=="},"stringData":{"a":"héllo","b":""}}""");
        CoreDefaults.Secret(secret);
        AssertJson("""{"data":{"a":"aMOpbGxv","b":""},"type":"Opaque"}""", secret);
    }

    [Fact]
    public void SecretTypeIsKept()
    {
        var secret = Parse("""{"type":"kubernetes.io/tls","data":{}}""");
        CoreDefaults.Secret(secret);
        Assert.Equal("kubernetes.io/tls", (string?)secret["type"]);
    }

    [Fact]
    public void NamespaceFinalizerAddedOnce()
    {
        var ns = Parse("""{"metadata":{"name":"a"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Terminating"}}""");
        CoreDefaults.NamespaceOnCreate(ns);
        AssertJson("""{"metadata":{"name":"a"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""", ns);
    }

    [Theory]
    [InlineData("""{"clusterIP":"10.96.0.5"}""", """["10.96.0.5"]""")]
    [InlineData("""{"clusterIP":"None"}""", """["None"]""")]
    [InlineData("""{"clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5","fd00::5"]}""", """["10.96.0.5","fd00::5"]""")]
    [InlineData("""{}""", null)]
    public void ClusterIPsFollowClusterIPOnCreate(string spec, string? expected)
    {
        var svc = Parse("""{"spec":""" + spec + "}");
        ServiceDefaults.NormalizeClusterIPs(svc, null);
        AssertJson(expected ?? "null", svc["spec"]!["clusterIPs"]);
    }

    [Fact]
    public void ClusterIPsOnUpdate()
    {
        var old = Parse("""{"spec":{"clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5"]}}""");

        var cleared = Parse("""{"spec":{"clusterIP":"","clusterIPs":["10.96.0.5"]}}""");
        ServiceDefaults.NormalizeClusterIPs(cleared, old);
        Assert.Null(cleared["spec"]!["clusterIPs"]);

        var changed = Parse("""{"spec":{"clusterIP":"10.96.0.9","clusterIPs":["10.96.0.5"]}}""");
        ServiceDefaults.NormalizeClusterIPs(changed, old);
        AssertJson("""["10.96.0.9"]""", changed["spec"]!["clusterIPs"]);
    }

    [Theory]
    [InlineData("""{"selector":{"app":"a"}}""", "IPv4", "SingleStack", """["IPv4"]""")]
    [InlineData("""{"selector":{"app":"a"}}""", "IPv6,IPv4", "SingleStack", """["IPv6"]""")]
    [InlineData("""{"selector":{"app":"a"},"ipFamilyPolicy":"PreferDualStack"}""", "IPv4,IPv6", "PreferDualStack", """["IPv4","IPv6"]""")]
    [InlineData("""{"selector":{"app":"a"},"ipFamilyPolicy":"PreferDualStack"}""", "IPv4", "PreferDualStack", """["IPv4"]""")]
    [InlineData("""{"clusterIP":"None"}""", "IPv4,IPv6", "RequireDualStack", """["IPv4","IPv6"]""")]
    [InlineData("""{"clusterIP":"None","selector":{"app":"a"}}""", "IPv4,IPv6", "SingleStack", """["IPv4"]""")]
    [InlineData("""{"clusterIPs":["fd00::10"]}""", "IPv4,IPv6", "SingleStack", """["IPv6"]""")]
    [InlineData("""{"ipFamilies":["IPv6"]}""", "IPv4,IPv6", "SingleStack", """["IPv6"]""")]
    public void IPFamilies(string spec, string clusterFamilies, string policy, string families)
    {
        var svc = Parse("""{"spec":""" + spec + "}");
        ServiceDefaults.DefaultIPFamilies(svc, clusterFamilies.Split(','));
        Assert.Equal(policy, (string?)svc["spec"]!["ipFamilyPolicy"]);
        AssertJson(families, svc["spec"]!["ipFamilies"]);
    }

    [Fact]
    public void ExternalNameHasNoIPFamilies()
    {
        var svc = Parse("""{"spec":{"type":"ExternalName","externalName":"db.example.com"}}""");
        ServiceDefaults.DefaultIPFamilies(svc, ["IPv4"]);
        Assert.Null(svc["spec"]!["ipFamilyPolicy"]);
        Assert.Null(svc["spec"]!["ipFamilies"]);
    }

    [Fact]
    public void UpdateKeepsAllocatedValues()
    {
        var old = Parse("""
            {"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","healthCheckNodePort":32000,"clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5"],
                     "ports":[{"name":"http","port":80,"nodePort":30080},{"name":"https","port":443,"nodePort":30443}]}}
            """);
        var svc = Parse("""
            {"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local",
                     "ports":[{"name":"http","port":8080},{"name":"https","port":443,"nodePort":30444}]}}
            """);
        ServiceDefaults.PatchAllocatedValues(svc, old);
        AssertJson("""
            {"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5"],"healthCheckNodePort":32000,
                     "ports":[{"name":"http","port":8080,"nodePort":30080},{"name":"https","port":443,"nodePort":30444}]}}
            """, svc);
    }

    [Fact]
    public void SwitchingToExternalNameDropsNothingAllocated()
    {
        var old = Parse("""{"spec":{"type":"ClusterIP","clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5"],"ports":[{"port":80}]}}""");
        var svc = Parse("""{"spec":{"type":"ExternalName","externalName":"db.example.com"}}""");
        ServiceDefaults.PatchAllocatedValues(svc, old);
        AssertJson("""{"spec":{"type":"ExternalName","externalName":"db.example.com"}}""", svc);
    }

    [Fact]
    public void RegistryCoversTheKinds()
    {
        var kinds = ObjectDefaulterRegistry.Default.Kinds.ToHashSet();
        foreach (var kind in new[]
        {
            ("", "Pod"), ("", "Service"), ("", "Secret"), ("", "Namespace"), ("", "PersistentVolumeClaim"), ("", "PersistentVolume"),
            ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
            ("batch", "Job"), ("batch", "CronJob"), ("storage.k8s.io", "StorageClass"), ("scheduling.k8s.io", "PriorityClass"),
            ("discovery.k8s.io", "EndpointSlice"), ("autoscaling", "HorizontalPodAutoscaler"),
        })
        {
            Assert.Contains(kind, kinds);
        }
    }

    [Fact]
    public void ServiceFamiliesFromRegistryOption()
    {
        var registry = ObjectDefaulterRegistry.CreateDefault(["IPv6", "IPv4"]);
        var svc = Parse("""{"spec":{"selector":{"app":"a"},"ports":[{"port":80}]}}""");
        registry.ApplyDefaults(svc, "", "Service");
        registry.PrepareForCreate(svc, "", "Service");
        AssertJson("""["IPv6"]""", svc["spec"]!["ipFamilies"]);
    }
}
