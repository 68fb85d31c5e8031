using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// `kubectl scale` (kubectl-compat §4.5): a merge patch of the scale subresource, or with --current-replicas a GET and a
/// PUT of the Scale; Deployments, StatefulSets and ReplicaSets.
/// </summary>
public sealed class ScaleTests(KorralServer server) : ApplyTestBase(server)
{
    private const string StatefulSetAndReplicaSet = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
        spec:
          serviceName: db
          replicas: 1
          selector:
            matchLabels:
              app: db
          template:
            metadata:
              labels:
                app: db
            spec:
              containers:
              - name: db
                image: redis:latest
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: rs
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: rs
          template:
            metadata:
              labels:
                app: rs
            spec:
              containers:
              - name: c
                image: nginx:latest

        """;

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Scale_sets_replicas_and_current_replicas_is_a_precondition(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "scale");

        Assert.Equal(["deployment.apps/web scaled"], await OkAsync(kubectl, "scale", "--replicas=5", "deployment/web", "-n", ns));
        Assert.Equal("5", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        Assert.Equal(["deployment.apps/web scaled"], await OkAsync(kubectl, "scale", "--current-replicas=5", "--replicas=2", "deployment/web", "-n", ns));
        Assert.Equal("2", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        var stale = await FailAsync(kubectl, "scale", "--current-replicas=5", "--replicas=3", "deployment/web", "-n", ns);
        Assert.Equal("error: Expected replicas to be 5, was 2", stale.Stderr.Trim());
        Assert.Equal("2", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        Assert.Equal(["deployment.apps/web scaled (server dry run)"], await OkAsync(kubectl, "scale", "--replicas=7", "deployment/web", "-n", ns, "--dry-run=server"));
        Assert.Equal("2", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        var negative = await FailAsync(kubectl, "scale", "--replicas=-1", "deployment/web", "-n", ns);
        Assert.Equal("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0", negative.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Scale_of_a_statefulset_and_a_replicaset(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "scale-sts");
        Assert.Equal(
            ["statefulset.apps/db created", "replicaset.apps/rs created"],
            await OkAsync(kubectl, "apply", "-n", ns, "-f", kubectl.WriteFile("sts-rs.yaml", StatefulSetAndReplicaSet)));

        Assert.Equal(["statefulset.apps/db scaled"], await OkAsync(kubectl, "scale", "statefulset", "db", "-n", ns, "--replicas=3"));
        Assert.Equal(["replicaset.apps/rs scaled"], await OkAsync(kubectl, "scale", "rs/rs", "-n", ns, "--replicas=4"));
        Assert.Equal("3", await JsonPathAsync(kubectl, ns, "statefulset/db", "{.spec.replicas}"));
        Assert.Equal("4", await JsonPathAsync(kubectl, ns, "replicaset/rs", "{.spec.replicas}"));

        // Several at once, with the precondition through GET and PUT of each Scale.
        Assert.Equal(
            ["statefulset.apps/db scaled", "replicaset.apps/rs scaled"],
            await OkAsync(kubectl, "scale", "statefulset/db", "replicaset/rs", "-n", ns, "--replicas=0"));
        Assert.Equal(
            ["statefulset.apps/db scaled", "replicaset.apps/rs scaled"],
            await OkAsync(kubectl, "scale", "-f", "sts-rs.yaml", "-n", ns, "--current-replicas=0", "--replicas=2"));
        Assert.Equal("2 2", await JsonPathAsync(kubectl, ns, "statefulset,replicaset", "{.items[*].spec.replicas}"));

        // The Scale subresource as kubectl reads it (autoscaling/v1).
        var scale = (await kubectl.RunAsync("get", "--raw", $"/apis/apps/v1/namespaces/{ns}/statefulsets/db/scale")).EnsureSuccess();
        var json = System.Text.Json.Nodes.JsonNode.Parse(scale.Stdout)!;
        Assert.Equal("Scale", json["kind"]!.GetValue<string>());
        Assert.Equal("autoscaling/v1", json["apiVersion"]!.GetValue<string>());
        Assert.Equal(2, json["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=db", json["status"]!["selector"]!.GetValue<string>());
    }
}
