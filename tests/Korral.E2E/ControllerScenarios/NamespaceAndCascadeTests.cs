using Korral.E2E.Infrastructure;

namespace Korral.E2E.ControllerScenarios;

/// <summary>
/// Scenario E (/work/shared/scenarios/README.md) with the real kubectl against `korral server --simulated-nodes 3`: deleting a
/// namespace removes everything in it; deleting a Deployment cascades to its ReplicaSets and pods unless orphaned.
/// </summary>
public sealed class NamespaceAndCascadeTests(ControllerScenarioCluster cluster)
    : ScenarioKubectl(cluster), IClassFixture<ControllerScenarioCluster>
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task E1_deleting_the_namespace_removes_the_web_app_in_it(string version)
    {
        var kubectl = Kubectl(version);
        // team-a with the version in it: both kubectl versions run against the same server.
        var ns = $"team-a-{version.Replace(".", "", StringComparison.Ordinal)}";
        Assert.Equal([$"namespace/{ns} created"], (await kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess().Lines);

        // The same names in another namespace do not clash.
        var other = await NewNamespaceAsync(kubectl, "e1-other");
        (await kubectl.RunAsync("apply", "-n", other, "-f", kubectl.CopyScenario("08-webapp-deployment.yaml"))).EnsureSuccess();

        (await kubectl.RunAsync("apply", "-n", ns, "-f", kubectl.CopyScenario("03-webapp-service.yaml"))).EnsureSuccess();
        await ApplyWebAppAsync(kubectl, ns);
        await AssertRunningPodsAsync(kubectl, ns, 3);

        // kubectl waits until the namespace is gone: the namespace controller deleted its content, the nodes confirmed the pods.
        var delete = (await kubectl.RunAsync(["delete", "namespace", ns, WaitTimeout], null, TimeSpan.FromSeconds(100))).EnsureSuccess();
        Assert.Equal([$"namespace \"{ns}\" deleted"], delete.Lines);

        var gone = (await kubectl.RunAsync("get", "namespace", ns)).EnsureFailure();
        Assert.Equal([$"Error from server (NotFound): namespaces \"{ns}\" not found"], gone.ErrorLines);
        var left = (await kubectl.RunAsync("get", "all,configmaps,secrets,pvc,serviceaccounts,endpoints,endpointslices", "-n", ns)).EnsureSuccess();
        Assert.Empty(left.Lines);
        Assert.Equal([$"No resources found in {ns} namespace."], left.ErrorLines);

        // The other namespace's deployment is untouched.
        Assert.Equal(Deployment, (await kubectl.RunAsync("get", "deployment", Deployment, "-n", other, "-o", "name")).EnsureSuccess().Stdout.Trim()
            .Replace("deployment.apps/", "", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task E2_deleting_a_deployment_deletes_its_replicasets_and_pods(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await NewNamespaceAsync(kubectl, "e2");
        await ApplyWebAppAsync(kubectl, ns);
        var owned = (await kubectl.RunAsync("get", "rs,pods", "-n", ns, "-l", AppLabel, "-o", "name")).EnsureSuccess().Lines;
        Assert.Equal(4, owned.Count);

        Assert.Equal([$"deployment.apps \"{Deployment}\" deleted"],
            (await kubectl.RunAsync("delete", "deployment", Deployment, "-n", ns)).EnsureSuccess().Lines);

        // Background propagation: the garbage collector deletes the ReplicaSet, then its pods; wait for each to be gone.
        (await kubectl.RunAsync(["wait", "-n", ns, "--for=delete", .. owned, WaitTimeout], null, TimeSpan.FromSeconds(100))).EnsureSuccess();
        var left = (await kubectl.RunAsync("get", "rs,pods", "-n", ns, "-l", AppLabel)).EnsureSuccess();
        Assert.Empty(left.Lines);
        Assert.Equal([$"No resources found in {ns} namespace."], left.ErrorLines);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task E2_cascade_orphan_keeps_the_replicaset_and_pods_without_the_owner(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await NewNamespaceAsync(kubectl, "e2o");
        await ApplyWebAppAsync(kubectl, ns);
        var before = (await kubectl.RunAsync("get", "rs,pods", "-n", ns, "-l", AppLabel, "-o", "name")).EnsureSuccess().Lines;
        Assert.Equal(4, before.Count);

        // kubectl waits for the Deployment to be gone: the orphan finalizer is removed only after the owner references are.
        Assert.Equal([$"deployment.apps \"{Deployment}\" deleted"],
            (await kubectl.RunAsync(["delete", "deployment", Deployment, "-n", ns, "--cascade=orphan", WaitTimeout], null, TimeSpan.FromSeconds(100))).EnsureSuccess().Lines);
        (await kubectl.RunAsync("get", "deployment", Deployment, "-n", ns)).EnsureFailure();

        var rs = (await kubectl.RunAsync("get", "rs", "-n", ns, "-l", AppLabel, "-o",
            "jsonpath={range .items[*]}{.metadata.name} [{.metadata.ownerReferences}] {.spec.replicas}{\"\\n\"}{end}")).EnsureSuccess();
        var rsCells = Assert.Single(rs.Lines).Split(' ');
        // No owner left. (Korral prints an emptied list as `ownerReferences: []` where upstream omits the field.)
        Assert.Contains(rsCells[1], new[] { "[]", "[[]]" });
        Assert.Equal("3", rsCells[2]);

        // The pods keep their ReplicaSet as owner, and nothing deletes them.
        await AssertRunningPodsAsync(kubectl, ns, 3);
        var podOwners = (await kubectl.RunAsync("get", "pods", "-n", ns, "-l", AppLabel, "-o",
            "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{\"\\n\"}{end}")).EnsureSuccess();
        Assert.Equal(Enumerable.Repeat($"ReplicaSet/{rsCells[0]}", 3), podOwners.Lines);
        var after = (await kubectl.RunAsync("get", "rs,pods", "-n", ns, "-l", AppLabel, "-o", "name")).EnsureSuccess().Lines;
        Assert.Equal(before.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
    }
}
