using Korral.E2E.Infrastructure;

namespace Korral.E2E.ControllerScenarios;

/// <summary>
/// `kubectl cordon`, `drain` and `uncordon` against `korral server --simulated-nodes 3`: the node shows
/// SchedulingDisabled; drain evicts through pods/eviction and honours the PodDisruptionBudget the disruption controller
/// keeps current — with a budget that allows nothing it retries until its --timeout and fails with upstream's message,
/// with one that allows a disruption it evicts one pod at a time until the node is empty. Which node the pods land on
/// is the binder's business: the test drains the node of the first pod and asserts only that it ends up empty.
/// </summary>
public sealed class DrainTests(ControllerScenarioCluster cluster)
    : ScenarioKubectl(cluster), IClassFixture<ControllerScenarioCluster>
{
    private const string Violation = "Cannot evict pod as it would violate the pod's disruption budget.";

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Cordon_drain_honouring_the_budget_and_uncordon(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await NewNamespaceAsync(kubectl, "drain");
        string? node = null;
        try
        {
            (await kubectl.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=4")).EnsureSuccess();
            (await kubectl.RunAsync(["rollout", "status", "deployment/web", "-n", ns, WaitTimeout], null, TimeSpan.FromSeconds(100))).EnsureSuccess();

            // A budget that allows no disruption, once the disruption controller has computed it.
            var pdb = (await kubectl.RunAsync("create", "pdb", "web", "-n", ns, "--selector=app=web", "--min-available=4")).EnsureSuccess();
            Assert.Equal(["poddisruptionbudget.policy/web created"], pdb.Lines);
            await WaitForBudgetAsync(kubectl, ns, "{.status.currentHealthy}=4");
            Assert.Equal("1 4 4 0", await BudgetStatusAsync(kubectl, ns));

            node = (await PodNodesAsync(kubectl, ns)).Values.First();
            var onNode = await PodsOnNodeAsync(kubectl, ns, node);

            var cordon = (await kubectl.RunAsync("cordon", node)).EnsureSuccess();
            Assert.Equal([$"node/{node} cordoned"], cordon.Lines);
            Assert.Equal("Ready,SchedulingDisabled", await NodeStatusAsync(kubectl, node));

            // Nothing may go: drain keeps retrying every 5 s until its timeout, then fails; nothing was evicted.
            var blocked = (await kubectl.RunAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=12s"], null,
                TimeSpan.FromSeconds(60))).EnsureFailure();
            Assert.Contains($"node/{node} already cordoned", blocked.Stdout, StringComparison.Ordinal);
            foreach (var pod in onNode)
            {
                Assert.Contains($"evicting pod {ns}/{pod}", blocked.Stdout, StringComparison.Ordinal);
                Assert.Contains($"error when evicting pods/\"{pod}\" -n \"{ns}\" (will retry after 5s): {Violation}", blocked.Stderr, StringComparison.Ordinal);
                Assert.Contains($"error when evicting pods/\"{pod}\" -n \"{ns}\": global timeout reached: 12s", blocked.Stderr, StringComparison.Ordinal);
            }

            Assert.Contains($"error: unable to drain node \"{node}\" due to error:", blocked.Stderr, StringComparison.Ordinal);
            Assert.Equal(onNode, await PodsOnNodeAsync(kubectl, ns, node));
            Assert.Equal("1 4 4 0", await BudgetStatusAsync(kubectl, ns));

            // One disruption at a time: drain evicts, waits for the replacement to count, evicts the next.
            (await kubectl.RunAsync("patch", "pdb", "web", "-n", ns, "--type=merge", "-p", """{"spec":{"minAvailable":3}}""")).EnsureSuccess();
            await WaitForBudgetAsync(kubectl, ns, "{.status.observedGeneration}=2");
            var drained = (await kubectl.RunAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=90s"], null,
                TimeSpan.FromSeconds(100))).EnsureSuccess();
            foreach (var pod in onNode)
            {
                Assert.Contains($"pod/{pod} evicted", drained.Stdout, StringComparison.Ordinal);
            }

            Assert.Equal($"node/{node} drained", drained.Lines[^1]);
            Assert.Empty((await kubectl.RunAsync("get", "pods", "-A", "--field-selector", $"spec.nodeName={node}", "-o", "name")).EnsureSuccess().Lines);

            // The Deployment is whole again, elsewhere.
            (await kubectl.RunAsync(["rollout", "status", "deployment/web", "-n", ns, WaitTimeout], null, TimeSpan.FromSeconds(100))).EnsureSuccess();
            var nodes = await PodNodesAsync(kubectl, ns);
            Assert.Equal(4, nodes.Count);
            Assert.DoesNotContain(node, nodes.Values);

            var uncordon = (await kubectl.RunAsync("uncordon", node)).EnsureSuccess();
            Assert.Equal([$"node/{node} uncordoned"], uncordon.Lines);
            Assert.Equal("Ready", await NodeStatusAsync(kubectl, node));
            node = null;
        }
        finally
        {
            // Leave the shared cluster as found for the other version's run: no cordoned node, no budget, no pods.
            if (node is not null)
            {
                await kubectl.RunAsync("uncordon", node);
            }

            await kubectl.RunAsync(["delete", "namespace", ns, "--timeout=90s"], null, TimeSpan.FromSeconds(100));
        }
    }

    private static async Task WaitForBudgetAsync(Kubectl kubectl, string ns, string condition) =>
        (await kubectl.RunAsync(["wait", "pdb/web", "-n", ns, $"--for=jsonpath={condition}", WaitTimeout], null, TimeSpan.FromSeconds(100))).EnsureSuccess();

    /// <summary>observedGeneration, expectedPods, currentHealthy and disruptionsAllowed of the budget, space-separated.</summary>
    private static async Task<string> BudgetStatusAsync(Kubectl kubectl, string ns) =>
        (await kubectl.RunAsync("get", "pdb", "web", "-n", ns, "-o",
            "jsonpath={.status.observedGeneration} {.status.expectedPods} {.status.currentHealthy} {.status.disruptionsAllowed}")).EnsureSuccess().Stdout.Trim();

    /// <summary>The pods of the namespace that are not being deleted (those print a third cell), and their nodes.</summary>
    private static async Task<Dictionary<string, string>> PodNodesAsync(Kubectl kubectl, string ns)
    {
        var result = (await kubectl.RunAsync("get", "pods", "-n", ns, "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}"))
            .EnsureSuccess();
        return result.Lines.Select(Cells).Where(c => c.Length == 2).ToDictionary(c => c[0], c => c[1], StringComparer.Ordinal);
    }

    private static async Task<List<string>> PodsOnNodeAsync(Kubectl kubectl, string ns, string node) =>
        [.. (await PodNodesAsync(kubectl, ns)).Where(p => p.Value == node).Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>The STATUS column of `kubectl get node`.</summary>
    private static async Task<string> NodeStatusAsync(Kubectl kubectl, string node)
    {
        var result = (await kubectl.RunAsync("get", "node", node)).EnsureSuccess();
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], Cells(result.Lines[0]));
        return Cells(result.Lines[1])[1];
    }
}
