using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Scheduling;

/// <summary>
/// Scenario D.2 (/work/shared/scenarios/README.md) with the real kubectl: a pod asking for more CPU than the node has stays
/// Pending with a FailedScheduling event that says why; a pod that fits is scheduled with a Scheduled event.
/// </summary>
public sealed class ResourceExhaustionTests(OneNodeCluster cluster) : IClassFixture<OneNodeCluster>, IDisposable
{
    private readonly List<Kubectl> _kubectls = [];

    public void Dispose()
    {
        foreach (var kubectl in _kubectls)
        {
            kubectl.Dispose();
        }
    }

    private Kubectl Kubectl(string version)
    {
        var kubectl = new Kubectl(cluster.Server, version);
        _kubectls.Add(kubectl);
        return kubectl;
    }

    private static string Pod(string name, string cpu) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          containers:
          - name: app
            image: nginx
            resources:
              requests:
                cpu: "{cpu}"
        """;

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_pod_requesting_more_cpu_than_any_node_has_stays_pending_and_says_why(string version)
    {
        var kubectl = Kubectl(version);
        var ns = $"d2-{version.Replace(".", "", StringComparison.Ordinal)}-{Guid.NewGuid().ToString("N")[..6]}";
        (await kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        (await kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], Pod("greedy", "64"))).EnsureSuccess();

        (await kubectl.RunAsync("wait", "-n", ns, "--for=condition=PodScheduled=false", "pod/greedy", "--timeout=30s")).EnsureSuccess();
        var get = (await kubectl.RunAsync("get", "pod", "greedy", "-n", ns)).EnsureSuccess();
        Assert.Equal(["greedy", "0/1", "Pending", "0"], Regex.Split(get.Lines[1].Trim(), @"\s+")[..4]);

        var expected = "0/1 nodes are available: 1 Insufficient cpu.";
        var describe = (await kubectl.RunAsync("describe", "pod", "greedy", "-n", ns)).EnsureSuccess();
        Assert.Matches(@"PodScheduled\s+False", describe.Stdout);
        var warning = describe.Lines.Single(l => l.Contains("FailedScheduling", StringComparison.Ordinal));
        Assert.Matches(@"^\s*Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0/1 nodes are available: 1 Insufficient cpu\.", warning);

        var events = (await kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "reason=FailedScheduling", "-o",
            "jsonpath={.items[0].message}")).EnsureSuccess();
        Assert.StartsWith(expected, events.Stdout);
        // A request above the node's whole allocatable cannot be helped by preemption (upstream: unresolvable).
        Assert.Contains("preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", events.Stdout);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_pod_that_fits_is_scheduled_with_an_event_describe_shows(string version)
    {
        var kubectl = Kubectl(version);
        var ns = $"fit-{version.Replace(".", "", StringComparison.Ordinal)}-{Guid.NewGuid().ToString("N")[..6]}";
        (await kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        (await kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], Pod("modest", "500m"))).EnsureSuccess();

        (await kubectl.RunAsync("wait", "-n", ns, "--for=condition=Ready", "pod/modest", "--timeout=30s")).EnsureSuccess();
        var node = (await kubectl.RunAsync("get", "pod", "modest", "-n", ns, "-o", "jsonpath={.spec.nodeName}")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("sim-node-0", node);
        var describe = (await kubectl.RunAsync("describe", "pod", "modest", "-n", ns)).EnsureSuccess();
        Assert.Contains(describe.Lines, l => Regex.IsMatch(l, $@"^\s*Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned {ns}/modest to sim-node-0$"));
    }
}
