using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Nodes;

/// <summary>
/// Scenario A ("first cluster") on a real node, with 01-test-pod.yaml verbatim in the default namespace: cluster-info and
/// the node (A.1), the pod Running within seconds (A.2), describe (A.4), nginx's access log through `kubectl logs` (A.5),
/// delete and what the node keeps afterwards (A.7). Each test deletes its pod again, so the next one starts from an empty
/// default namespace.
/// </summary>
[Collection(NodeCluster.CollectionName)]
public sealed class FirstClusterTests(NodeCluster cluster) : NodeTest(cluster)
{
    private const string Pod = "test-app-pod";
    private const string Default = "default";

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Cluster_info_prints_the_control_plane_and_get_nodes_lists_one_ready_control_plane_node(string version)
    {
        var kubectl = Kubectl(version);

        var info = (await kubectl.RunAsync("cluster-info")).EnsureSuccess();
        // kubectl colours this line even when stdout is not a terminal; the text is what counts.
        Assert.Equal($"Kubernetes control plane is running at {Server.Url}", Regex.Replace(info.Lines[0], @"\x1b\[[0-9;]*m", ""));

        var nodes = (await kubectl.RunAsync("get", "nodes")).EnsureSuccess();
        Assert.Equal("NAME STATUS ROLES AGE VERSION", Collapse(nodes.Lines[0]));
        var row = Assert.Single(nodes.Lines.Skip(1));
        Assert.Matches(@"^\S+\s+Ready\s+control-plane,master\s+\S+\s+v1\.\d+\.\d+", row);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Test_pod_runs_within_seconds_and_describe_shows_its_node_ip_state_and_events(string version)
    {
        var kubectl = Kubectl(version);
        try
        {
            await StartTestPodAsync(kubectl);

            var pods = (await kubectl.RunAsync("get", "pods")).EnsureSuccess();
            Assert.Equal("NAME READY STATUS RESTARTS AGE", Collapse(pods.Lines[0]));
            Assert.Matches(@"^test-app-pod\s+1/1\s+Running\s+0\s+\d+s$", Assert.Single(pods.Lines.Skip(1)));

            // Events are recorded after the fact; describe once all four are there.
            await WaitForEventsAsync(kubectl, Default, Pod, "Scheduled", "Pulled", "Created", "Started");
            var describe = (await kubectl.RunAsync("describe", "pod", Pod)).EnsureSuccess();
            var node = Cells((await kubectl.RunAsync("get", "nodes", "--no-headers")).EnsureSuccess().Lines[0])[0];
            var ip = (await PodAsync(kubectl, Default, Pod)).GetProperty("status").GetProperty("podIP").GetString();
            AssertLine(describe.Lines, $@"^Node:\s+{Regex.Escape(node)}/\d+\.\d+\.\d+\.\d+$", "describe");
            AssertLine(describe.Lines, $@"^IP:\s+{Regex.Escape(ip!)}$", "describe");
            AssertLine(describe.Lines, @"^Status:\s+Running$", "describe");
            AssertLine(describe.Lines, @"^\s+State:\s+Running$", "describe");
            AssertLine(describe.Lines, @"^\s+Container ID:\s+containerd://[0-9a-f]{64}$", "describe");
            AssertLine(describe.Lines, @"^\s+Ready:\s+True$", "describe");

            var events = describe.Lines.SkipWhile(l => !l.StartsWith("Events:", StringComparison.Ordinal)).Skip(1).ToList();
            Assert.True(events.Count > 2, $"describe prints no events\n{describe}");
            Assert.Equal("Type Reason Age From Message", Collapse(events[0]));
            AssertLine(events, $@"^\s*Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default/test-app-pod to {Regex.Escape(node)}$", "the events");
            AssertLine(events, @"^\s*Normal\s+Pulling\s+\S+\s+kubelet\s+Pulling image ""nginx:latest""$", "the events");
            AssertLine(events, @"^\s*Normal\s+Pulled\s+\S+\s+kubelet\s+(Successfully pulled image ""nginx:latest"" in |Container image ""nginx:latest"" already present on machine)", "the events");
            AssertLine(events, @"^\s*Normal\s+Created\s+\S+\s+kubelet\s+Created container:? test-app-container$", "the events");
            AssertLine(events, @"^\s*Normal\s+Started\s+\S+\s+kubelet\s+Started container test-app-container$", "the events");
        }
        finally
        {
            await DeleteTestPodAsync(kubectl);
        }
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Logs_show_the_nginx_access_log_line_of_a_request_to_the_pod(string version)
    {
        var kubectl = Kubectl(version);
        try
        {
            await StartTestPodAsync(kubectl);
            var ip = (await PodAsync(kubectl, Default, Pod)).GetProperty("status").GetProperty("podIP").GetString()!;
            var marker = Guid.NewGuid().ToString("N")[..12];

            var page = await PodNetwork.HttpGetAsync(ip, 80, $"/?e2e={marker}");
            Assert.Contains("<title>Welcome to nginx!</title>", page, StringComparison.Ordinal);

            var logs = await WaitForLogsAsync(kubectl, Default, Pod, null, l => l.Contains(marker, StringComparison.Ordinal), "the request's line");
            // The image's "main" format: client - user [time] "request" status bytes "referer" "user agent" "forwarded for".
            AssertLine(logs.Split('\n'), $@"^\d+\.\d+\.\d+\.\d+ - - \[[^\]]+\] ""GET /\?e2e={marker} HTTP/1\.1"" 200 \d+ ""-"" ""{PodNetwork.UserAgent}"" ""-""$", "kubectl logs");

            // `kubectl logs -f` follows: once it has printed the first request's line, a second request's line arrives live.
            await using var follow = kubectl.Stream("logs", "-f", Pod);
            await follow.WaitForLineAsync(l => l.Contains(marker, StringComparison.Ordinal), "the first request's line");
            var second = Guid.NewGuid().ToString("N")[..12];
            await PodNetwork.HttpGetAsync(ip, 80, $"/?e2e={second}");
            await follow.WaitForLineAsync(l => l.Contains($"GET /?e2e={second} ", StringComparison.Ordinal), "the second request's line", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await DeleteTestPodAsync(kubectl);
        }
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Delete_removes_the_pod_and_the_node_keeps_nothing_of_it(string version)
    {
        var kubectl = Kubectl(version);
        try
        {
            await StartTestPodAsync(kubectl);
            var uid = (await PodAsync(kubectl, Default, Pod)).GetProperty("metadata").GetProperty("uid").GetString()!;
            // The check below must see a running pod's traces, or its empty answer after the delete would prove nothing.
            var before = await Cluster.LeftoversOfPodAsync(Default, Pod, uid);
            Assert.Contains(before, l => l.StartsWith("containerd container", StringComparison.Ordinal));
            Assert.Contains(before, l => l.StartsWith("log directory", StringComparison.Ordinal));
            Assert.Contains(before, l => l.StartsWith("cgroup", StringComparison.Ordinal));

            var delete = (await kubectl.RunAsync("delete", "pod", Pod)).EnsureSuccess();
            Assert.Equal($"pod \"{Pod}\" deleted", delete.Stdout.Trim());

            var pods = (await kubectl.RunAsync("get", "pods")).EnsureSuccess();
            Assert.Empty(pods.Lines);
            Assert.Equal("No resources found in default namespace.", pods.Stderr.Trim());

            await WaitForNothingLeftAsync(Default, Pod, uid);
        }
        finally
        {
            await DeleteTestPodAsync(kubectl);
        }
    }

    /// <summary>`kubectl apply -f 01-test-pod.yaml` and waits (through a watch) for `test-app-pod 1/1 Running`.</summary>
    private static async Task StartTestPodAsync(Kubectl kubectl)
    {
        var apply = (await kubectl.RunAsync("apply", "-f", kubectl.CopyScenario("01-test-pod.yaml"))).EnsureSuccess();
        Assert.Equal("pod/test-app-pod created", apply.Stdout.Trim());
        await using var watch = PodWatch.Pod(kubectl, Default, Pod);
        // "Within seconds": the image is already on the node; the limit only allows for 2 busy cores.
        await watch.WaitForAsync(Pod, r => r is { Ready: "1/1", Status: "Running" }, "1/1 Running", TimeSpan.FromSeconds(30));
    }

    private static async Task DeleteTestPodAsync(Kubectl kubectl) =>
        (await kubectl.RunAsync(["delete", "pod", Pod, "--ignore-not-found", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).EnsureSuccess();
}
