using System.Globalization;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.ControllerScenarios;

/// <summary>
/// Scenario B steps 3–5 and 7 (/work/shared/scenarios/README.md) with the real kubectl against
/// `korral server --simulated-nodes 3`: the web app Deployment rolls out, scales, rolls forward and back, and re-applies.
/// The claim is provisioned by the default local-path class once the first pod is scheduled, and every pod lands on the
/// volume's node. Not covered here: the env/exec checks of B.3 (simulated nodes run no containers: the kubelet issue).
/// </summary>
public sealed class WebAppDeploymentTests(ControllerScenarioCluster cluster)
    : ScenarioKubectl(cluster), IClassFixture<ControllerScenarioCluster>
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task B3_B4_the_deployment_rolls_out_three_pods_and_scales_to_five_and_two(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await NewNamespaceAsync(kubectl, "b3");

        await ApplyWebAppAsync(kubectl, ns);
        await AssertRunningPodsAsync(kubectl, ns, 3);

        var claim = (await kubectl.RunAsync("get", "pvc", "database-pvc", "-n", ns)).EnsureSuccess();
        Assert.Equal(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS"], Cells(claim.Lines[0])[..7]);
        var row = Cells(claim.Lines[1]);
        Assert.Equal(["database-pvc", "Bound", "1Gi", "RWO", "local-path"], [row[0], row[1], row[3], row[4], row[5]]);
        Assert.StartsWith("pvc-", row[2], StringComparison.Ordinal);
        var classes = (await kubectl.RunAsync("get", "storageclass", "local-path")).EnsureSuccess();
        Assert.StartsWith("local-path (default)", classes.Lines[1], StringComparison.Ordinal);
        var nodes = (await kubectl.RunAsync("get", "pods", "-n", ns, "-l", AppLabel, "-o", "jsonpath={.items[*].spec.nodeName}")).EnsureSuccess();
        Assert.Single(nodes.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct());

        var up = (await kubectl.RunAsync("scale", "-n", ns, "--replicas=5", $"deployment/{Deployment}")).EnsureSuccess();
        Assert.Equal([$"deployment.apps/{Deployment} scaled"], up.Lines);
        await WaitForRunningPodsAsync(kubectl, ns, 5);
        await AssertRunningPodsAsync(kubectl, ns, 5);

        (await kubectl.RunAsync("scale", "-n", ns, "--replicas=2", $"deployment/{Deployment}")).EnsureSuccess();
        await WaitForRunningPodsAsync(kubectl, ns, 2);
        await AssertRunningPodsAsync(kubectl, ns, 2);

        var deployment = (await kubectl.RunAsync("get", "deployment", Deployment, "-n", ns)).EnsureSuccess();
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], Cells(deployment.Lines[0]));
        Assert.Equal([Deployment, "2/2", "2", "2"], Cells(deployment.Lines[1])[..4]);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task B5_an_image_change_rolls_out_without_losing_availability_and_undo_restores_it(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await NewNamespaceAsync(kubectl, "b5");
        await ApplyWebAppAsync(kubectl, ns);

        // Every change of the Deployment's status, as one line per watch event.
        await using var watch = kubectl.Stream("get", "deployment", Deployment, "-n", ns, "-w", "-o",
            "jsonpath={.metadata.generation} {.status.observedGeneration} {.status.replicas} {.status.updatedReplicas} {.status.availableReplicas}{\"\\n\"}");
        // As upstream, recording the first revision goes through status, so the rolled-out Deployment is still generation 1.
        var first = await watch.WaitForLineAsync(l => RolledOut(l, 3), "the rolled-out first revision");
        Assert.StartsWith("1 1 ", first.Trim(), StringComparison.Ordinal);

        var updated = kubectl.WriteFile("webapp-v2.yaml",
            File.ReadAllText(Path.Combine(kubectl.WorkDir, "08-webapp-deployment.yaml")).Replace("image: nginx:latest", "image: nginx:1.27", StringComparison.Ordinal));
        var apply = (await kubectl.RunAsync("apply", "-n", ns, "-f", updated)).EnsureSuccess();
        Assert.Equal([$"deployment.apps/{Deployment} configured"], apply.Lines);
        await RolloutStatusAsync(kubectl, ns);
        await watch.WaitForLineAsync(l => RolledOut(l, 3) && l != first, "the rolled-out second revision");

        // replicas 3 with the default maxUnavailable 25% (rounded down: 0): never fewer than 3 available pods.
        const int minAvailable = 3 - 0;
        foreach (var line in watch.Seen)
        {
            var cells = line.Split(' ');
            var available = cells.Length == 5 && cells[4].Length > 0 ? int.Parse(cells[4], CultureInfo.InvariantCulture) : 0;
            Assert.True(available >= minAvailable, $"availableReplicas {available} < {minAvailable} during the rollout:\n{string.Join('\n', watch.Seen)}");
        }

        Assert.Contains(watch.Seen, l => l.Split(' ') is [_, _, _, var u, _] && u is "1" or "2");
        Assert.Equal("nginx:1.27", await ImageAsync(kubectl, ns));

        var history = (await kubectl.RunAsync("rollout", "history", $"deployment/{Deployment}", "-n", ns)).EnsureSuccess();
        Assert.Equal($"deployment.apps/{Deployment}", history.Lines[0].Trim());
        Assert.Equal(["REVISION", "CHANGE-CAUSE"], Cells(history.Lines[1]));
        Assert.Equal(["1", "2"], history.Lines.Skip(2).Select(l => Cells(l)[0]));

        var revision1 = (await kubectl.RunAsync("rollout", "history", $"deployment/{Deployment}", "-n", ns, "--revision=1")).EnsureSuccess();
        Assert.Contains(revision1.Lines, l => Cells(l) is ["Image:", "nginx:latest"]);

        var undo = (await kubectl.RunAsync("rollout", "undo", $"deployment/{Deployment}", "-n", ns)).EnsureSuccess();
        Assert.Equal([$"deployment.apps/{Deployment} rolled back"], undo.Lines);
        await RolloutStatusAsync(kubectl, ns);
        Assert.Equal("nginx:latest", await ImageAsync(kubectl, ns));

        // Revision 1's template came back as revision 3.
        var after = (await kubectl.RunAsync("rollout", "history", $"deployment/{Deployment}", "-n", ns)).EnsureSuccess();
        Assert.Equal(["2", "3"], after.Lines.Skip(2).Select(l => Cells(l)[0]));
        var images = (await kubectl.RunAsync("get", "rs", "-n", ns, "-l", AppLabel, "-o",
            "jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.spec.replicas} {.spec.template.spec.containers[0].image}{\"\\n\"}{end}")).EnsureSuccess();
        Assert.Equal(["2 0 nginx:1.27", "3 3 nginx:latest"], images.Lines.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task B7_apply_twice_is_unchanged_and_an_edited_field_is_configured(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await NewNamespaceAsync(kubectl, "b7");

        // The pods mount the claim of 07: without it the scheduler keeps them Pending ("persistentvolumeclaim not found").
        foreach (var needed in new[] { "06-config-and-secret.yaml", "07-database-pvc.yaml" })
        {
            (await kubectl.RunAsync("apply", "-n", ns, "-f", kubectl.CopyScenario(needed))).EnsureSuccess();
        }

        var file = kubectl.CopyScenario("08-webapp-deployment.yaml");

        Assert.Equal([$"deployment.apps/{Deployment} created"], (await kubectl.RunAsync("apply", "-n", ns, "-f", file)).EnsureSuccess().Lines);
        await RolloutStatusAsync(kubectl, ns);

        // The controller has since written status and the revision annotation: apply still sees nothing of its own changed.
        Assert.Equal([$"deployment.apps/{Deployment} unchanged"], (await kubectl.RunAsync("apply", "-n", ns, "-f", file)).EnsureSuccess().Lines);

        var edited = kubectl.WriteFile("webapp-4.yaml",
            File.ReadAllText(Path.Combine(kubectl.WorkDir, file)).Replace("replicas: 3", "replicas: 4", StringComparison.Ordinal));
        Assert.Equal([$"deployment.apps/{Deployment} configured"], (await kubectl.RunAsync("apply", "-n", ns, "-f", edited)).EnsureSuccess().Lines);
        await RolloutStatusAsync(kubectl, ns);
        await WaitForRunningPodsAsync(kubectl, ns, 4);
        Assert.Equal([$"deployment.apps/{Deployment} unchanged"], (await kubectl.RunAsync("apply", "-n", ns, "-f", edited)).EnsureSuccess().Lines);
    }

    /// <summary>A status line "generation observedGeneration replicas updated available" of a finished rollout.</summary>
    private static bool RolledOut(string line, int replicas) =>
        line.Trim().Split(' ') is [var generation, var observed, var total, var updated, var available]
        && generation == observed && new[] { total, updated, available }.All(n => n == replicas.ToString(CultureInfo.InvariantCulture));

    private static async Task<string> ImageAsync(Kubectl kubectl, string ns) =>
        (await kubectl.RunAsync("get", "deployment", Deployment, "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}"))
            .EnsureSuccess().Stdout.Trim();
}
