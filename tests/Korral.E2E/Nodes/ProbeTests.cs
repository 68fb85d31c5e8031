using System.Text.Json;
using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Nodes;

/// <summary>
/// Scenario D.3 on the real node: a readiness probe that fails keeps the pod out of its Service's endpoints (under
/// notReadyAddresses, READY 0/1) and one that passes puts it in; a liveness probe that fails restarts the container with
/// upstream's Unhealthy and Killing events; a startup probe holds readiness back until it passes. What the probes look
/// at is a file in a hostPath directory the test writes and removes, so the test decides when a probe passes and waits
/// on what kubectl shows, never on time.
/// </summary>
[Collection(NodeCluster.CollectionName)]
public sealed class ProbeTests(NodeCluster cluster) : NodeTest(cluster)
{
    /// <summary>The hostPath directory of the test's probe files: under the server's root, which goes when the server stops.</summary>
    private readonly string _probeDir = Path.Combine(cluster.Server.Root, "probe-" + Guid.NewGuid().ToString("N")[..10]);

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Failing_readiness_probe_keeps_the_pod_out_of_its_service_endpoints_until_it_passes(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "ready");
        Directory.CreateDirectory(_probeDir);
        await ApplyAsync(kubectl, ns, "web.yaml", $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector:
                app: probed-web
              ports:
              - port: 80
                targetPort: http
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: probed-web
              template:
                metadata:
                  labels:
                    app: probed-web
                spec:
                  containers:
                  - name: web
                    image: nginx:latest
                    ports:
                    - name: http
                      containerPort: 80
                    readinessProbe:
                      httpGet:
                        path: /probe/ready
                        port: http
                      periodSeconds: 1
                      failureThreshold: 1
                    volumeMounts:
                    - name: probe
                      mountPath: /usr/share/nginx/html/probe
                  volumes:
                  - name: probe
                    hostPath:
                      path: {_probeDir}
                      type: Directory
            """);

        await using var watch = PodWatch.Selected(kubectl, ns, "app=probed-web");
        var running = await WaitForRowAsync(watch, r => r is { Status: "Running", Ready: "0/1" }, "Running 0/1");
        var pod = running.Name;
        var ip = (await PodAsync(kubectl, ns, pod)).GetProperty("status").GetProperty("podIP").GetString()!;

        // Not ready: the address is listed, but only under notReadyAddresses, and `get endpoints` shows none (an empty
        // ENDPOINTS cell, as upstream prints a subset without ready addresses; "<none>" is for no subsets at all).
        await WaitForEndpointsAsync(kubectl, ns, e => e.NotReady.Contains(ip) && e.Ready.Count == 0, $"{ip} under notReadyAddresses only");
        var endpoints = (await kubectl.RunAsync("get", "endpoints", "web", "-n", ns)).EnsureSuccess();
        Assert.Matches(@"^web\s+\S+$", endpoints.Lines.Last());
        var status = (await PodAsync(kubectl, ns, pod)).GetProperty("status");
        var ready = Condition(status, "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [web]"),
            (ready.GetProperty("status").GetString(), ready.GetProperty("reason").GetString(), ready.GetProperty("message").GetString()));
        // (The first failures may be refused connections, before nginx listens.)
        await WaitForEventAsync(kubectl, ns, pod, "Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 404");
        var describe = (await kubectl.RunAsync("describe", "pod", pod, "-n", ns)).EnsureSuccess();
        AssertLine(describe.Lines, @"^\s+Readiness:\s+http-get http://:http/probe/ready delay=0s timeout=1s period=1s #success=1 #failure=1$", "describe");

        // Passing: the pod turns 1/1 and its address moves to addresses.
        await File.WriteAllTextAsync(Path.Combine(_probeDir, "ready"), "ok\n");
        await WaitForRowAsync(watch, r => r.Name == pod && r is { Status: "Running", Ready: "1/1" }, "Running 1/1");
        await WaitForEndpointsAsync(kubectl, ns, e => e.Ready.Contains(ip) && e.NotReady.Count == 0, $"{ip} under addresses");
        endpoints = (await kubectl.RunAsync("get", "endpoints", "web", "-n", ns)).EnsureSuccess();
        Assert.Matches($@"^web\s+{Regex.Escape(ip)}:80\s+\S+$", endpoints.Lines.Last());
        Assert.Equal("True", Condition((await PodAsync(kubectl, ns, pod)).GetProperty("status"), "Ready").GetProperty("status").GetString());

        // Failing again: back out of the endpoints, without a restart (readiness never restarts anything).
        File.Delete(Path.Combine(_probeDir, "ready"));
        await WaitForRowAsync(watch, r => r.Name == pod && r is { Status: "Running", Ready: "0/1" } && watch.History.Any(h => h.Ready == "1/1"), "Running 0/1 again");
        await WaitForEndpointsAsync(kubectl, ns, e => e.NotReady.Contains(ip) && e.Ready.Count == 0, $"{ip} back under notReadyAddresses");
        Assert.Equal(0, ContainerStatus(await PodAsync(kubectl, ns, pod), "web").GetProperty("restartCount").GetInt32());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Failing_liveness_probe_restarts_the_container_with_Unhealthy_and_Killing_events(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "alive");
        // sleep as PID 1 ignores SIGTERM: the probe's own one-second grace period ends in SIGKILL (the pod's 30 s would not).
        await ApplyAsync(kubectl, ns, "liveness.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: liveness-exec
            spec:
              containers:
              - name: liveness
                image: busybox:1.28
                command: ["sleep", "3600"]
                livenessProbe:
                  exec:
                    command: ["cat", "/tmp/healthy"]
                  periodSeconds: 1
                  failureThreshold: 2
                  terminationGracePeriodSeconds: 1
            """);

        await using (var watch = PodWatch.Pod(kubectl, ns, "liveness-exec"))
        {
            await watch.WaitForAsync("liveness-exec", r => r.Restarts >= 1, "RESTARTS 1");
        }

        var status = ContainerStatus(await PodAsync(kubectl, ns, "liveness-exec"), "liveness");
        var last = status.GetProperty("lastState").GetProperty("terminated");
        Assert.Equal((137, "Error"), (last.GetProperty("exitCode").GetInt32(), last.GetProperty("reason").GetString()));

        await WaitForEventsAsync(kubectl, ns, "liveness-exec", "Unhealthy", "Killing");
        var describe = (await kubectl.RunAsync("describe", "pod", "liveness-exec", "-n", ns)).EnsureSuccess();
        AssertLine(describe.Lines, @"^\s+Liveness:\s+exec \[cat /tmp/healthy\] delay=0s timeout=1s period=1s #success=1 #failure=2$", "describe");
        AssertLine(describe.Lines, @"^\s+Last State:\s+Terminated$", "describe");
        AssertLine(describe.Lines, @"^\s+Exit Code:\s+137$", "describe");
        var events = describe.Lines.SkipWhile(l => !l.StartsWith("Events:", StringComparison.Ordinal)).ToList();
        AssertLine(events, @"^\s*Warning\s+Unhealthy\s+.*\s+kubelet\s+Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory$", "the events");
        AssertLine(events, @"^\s*Normal\s+Killing\s+.*\s+kubelet\s+Container liveness failed liveness probe, will be restarted$", "the events");
    }

    [Fact]
    public async Task Startup_probe_holds_readiness_back_until_it_passes()
    {
        var kubectl = Kubectl(KubectlVersions.Newest);
        var ns = await CreateNamespaceAsync(kubectl, "startup");
        Directory.CreateDirectory(_probeDir);
        // The readiness probe would pass at once; the startup probe waits for a file the test writes.
        await ApplyAsync(kubectl, ns, "slow-start.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: slow-start
            spec:
              containers:
              - name: app
                image: busybox:1.28
                command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
                startupProbe:
                  exec:
                    command: ["cat", "/probe/started"]
                  periodSeconds: 1
                  failureThreshold: 600
                readinessProbe:
                  exec:
                    command: ["true"]
                  periodSeconds: 1
                volumeMounts:
                - name: probe
                  mountPath: /probe
              volumes:
              - name: probe
                hostPath:
                  path: {{_probeDir}}
                  type: Directory
            """);

        await using var watch = PodWatch.Pod(kubectl, ns, "slow-start");
        await watch.WaitForAsync("slow-start", r => r is { Status: "Running", Ready: "0/1" }, "Running 0/1");
        await WaitForEventAsync(kubectl, ns, "slow-start", "Warning Unhealthy Startup probe failed: cat: can't open '/probe/started': No such file or directory");
        var status = ContainerStatus(await PodAsync(kubectl, ns, "slow-start"), "app");
        Assert.Equal((false, false), (status.GetProperty("started").GetBoolean(), status.GetProperty("ready").GetBoolean()));
        Assert.DoesNotContain(watch.History, r => r.Ready == "1/1");

        await File.WriteAllTextAsync(Path.Combine(_probeDir, "started"), "");
        await watch.WaitForAsync("slow-start", r => r is { Status: "Running", Ready: "1/1" }, "Running 1/1");

        status = ContainerStatus(await PodAsync(kubectl, ns, "slow-start"), "app");
        Assert.Equal((true, true, 0), (status.GetProperty("started").GetBoolean(), status.GetProperty("ready").GetBoolean(), status.GetProperty("restartCount").GetInt32()));
    }

    /// <summary>Waits until the pod's events ("TYPE REASON MESSAGE" lines) include <paramref name="wanted"/>.</summary>
    private static Task<IReadOnlyList<string>> WaitForEventAsync(Kubectl kubectl, string ns, string pod, string wanted) =>
        Eventually.WaitAsync(
            async _ => (IReadOnlyList<string>)(await kubectl.RunAsync(
                    "get", "events", "-n", ns, "--field-selector", $"involvedObject.name={pod}",
                    "-o", "jsonpath={range .items[*]}{.type} {.reason} {.message}{\"\\n\"}{end}"))
                .EnsureSuccess().Lines,
            events => events.Contains(wanted),
            $"event \"{wanted}\" of pod {ns}/{pod}",
            ConditionTimeout,
            events => string.Join(" | ", events));

    private static Task<PodRow> WaitForRowAsync(PodWatch watch, Func<PodRow, bool> match, string description) =>
        watch.WaitForSetAsync(pods => pods.Values.Any(match), description)
            .ContinueWith(_ => watch.Pods.Values.First(match), TaskScheduler.Default);

    private static JsonElement Condition(JsonElement status, string type) =>
        status.GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("type").GetString() == type);

    /// <summary>The Endpoints' ready and not-ready addresses (all subsets), once <paramref name="done"/> accepts them.</summary>
    private static Task<Addresses> WaitForEndpointsAsync(Kubectl kubectl, string ns, Func<Addresses, bool> done, string description) =>
        Eventually.WaitAsync(
            async _ =>
            {
                var json = (await kubectl.RunAsync("get", "endpoints", "web", "-n", ns, "-o", "json")).EnsureSuccess().Stdout;
                using var document = JsonDocument.Parse(json);
                var ready = new List<string>();
                var notReady = new List<string>();
                if (document.RootElement.TryGetProperty("subsets", out var subsets))
                {
                    foreach (var subset in subsets.EnumerateArray())
                    {
                        ready.AddRange(Ips(subset, "addresses"));
                        notReady.AddRange(Ips(subset, "notReadyAddresses"));
                    }
                }

                return new Addresses(ready, notReady);
            },
            done,
            $"endpoints {ns}/web: {description}",
            ConditionTimeout,
            e => $"addresses [{string.Join(", ", e.Ready)}] notReadyAddresses [{string.Join(", ", e.NotReady)}]");

    private static IEnumerable<string> Ips(JsonElement subset, string list) =>
        subset.TryGetProperty(list, out var addresses) ? addresses.EnumerateArray().Select(a => a.GetProperty("ip").GetString()!) : [];

    private sealed record Addresses(List<string> Ready, List<string> NotReady);
}
