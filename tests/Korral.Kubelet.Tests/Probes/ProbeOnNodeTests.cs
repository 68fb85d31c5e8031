using System.Net;
using Korral.Kubelet.Tests.Fixtures;
using Korral.Kubelet.Tests.Kubelet;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>
/// Probes through a real kubelet on containerd: the kill of a container whose liveness probe failed (its grace period,
/// its restart policy) and a grpc readiness probe against a health server the test controls.
/// </summary>
public sealed class ProbeOnNodeTests(ContainerdFixture containerd, KubeletApiServer api) : KubeletTestBase(containerd, api)
{
    private const string Busybox = "docker.io/library/busybox:1.36";

    [Fact]
    public async Task ALivenessKillUsesTheProbesGracePeriod()
    {
        // sleep as PID 1 ignores SIGTERM: only SIGKILL at the end of the grace period stops it. The pod's minute would
        // outlast the wait below; the probe's one second does not.
        var created = await CreatePodAsync("stubborn", $$$$"""
            {"terminationGracePeriodSeconds": 60,
             "containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent", "command": ["sleep", "3600"],
               "livenessProbe": {"exec": {"command": ["false"]}, "periodSeconds": 1, "failureThreshold": 1, "terminationGracePeriodSeconds": 1}}]}
            """);

        var pod = await WaitForPodAsync("stubborn", p => p.Status?.ContainerStatuses?.SingleOrDefault() is { RestartCount: >= 1 }, "restarted",
            TimeSpan.FromSeconds(40));

        var terminated = pod.Status!.ContainerStatuses!.Single().LastState?.Terminated;
        Assert.Equal(137, terminated?.ExitCode);
        var events = await EventsOfAsync(created.Metadata!.Uid!);
        Assert.Contains(events, e => e is { Type: "Warning", Reason: "Unhealthy" } && e.Message == "Liveness probe failed: ");
        Assert.Contains(events, e => e is { Type: "Normal", Reason: "Killing" } && e.Message == "Container app failed liveness probe, will be restarted");
    }

    [Fact]
    public async Task WithRestartPolicyNeverAFailedLivenessProbeEndsThePod()
    {
        var created = await CreatePodAsync("once", $$$$"""
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 1,
             "containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
               "command": ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
               "livenessProbe": {"exec": {"command": ["sh", "-c", "echo gone; exit 1"]}, "periodSeconds": 1, "failureThreshold": 2}}]}
            """);

        var pod = await WaitForPodAsync("once", p => p.Status?.Phase is "Succeeded" or "Failed", "finished");

        var status = pod.Status!.ContainerStatuses!.Single();
        Assert.Equal(0, status.RestartCount);
        Assert.NotNull(status.State?.Terminated);
        var events = await EventsOfAsync(created.Metadata!.Uid!);
        Assert.Contains(events, e => e is { Reason: "Unhealthy" } && e.Message == "Liveness probe failed: gone\n");
        Assert.Contains(events, e => e is { Type: "Normal", Reason: "Killing" } && e.Message == "Container app failed liveness probe");
    }

    [Fact]
    public async Task AGrpcReadinessProbeFollowsTheHealthService()
    {
        // A host-network pod is probed on the node (its pod IP): the health server here answers for it.
        await using var health = await GrpcHealthServer.StartAsync(IPAddress.Any);
        health.Statuses["payments"] = 2;
        var created = await CreatePodAsync("grpc", $$$$"""
            {"hostNetwork": true, "terminationGracePeriodSeconds": 1,
             "containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
               "command": ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
               "readinessProbe": {"grpc": {"port": {{{{health.Port}}}}, "service": "payments"}, "periodSeconds": 1}}]}
            """);
        var uid = created.Metadata!.Uid!;

        await Eventually.TrueAsync(async () => (await EventsOfAsync(uid)).Any(e => e.Reason == "Unhealthy"), PodTimeout, () => "no Unhealthy event");
        var events = await EventsOfAsync(uid);
        Assert.Contains(events, e => e is { Type: "Warning", Reason: "Unhealthy" }
            && e.Message == "Readiness probe failed: service unhealthy (responded with \"NOT_SERVING\")" && e.InvolvedObject?.FieldPath == "spec.containers{app}");
        var pod = await WaitForPodAsync("grpc", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Running is not null, "running");
        Assert.False(pod.Status!.ContainerStatuses!.Single().Ready);

        health.Statuses["payments"] = 1;

        await WaitForPodAsync("grpc", p => p.Status?.Conditions?.SingleOrDefault(c => c.Type == "Ready")?.Status == "True", "Ready");
        Assert.All(health.Calls, call => Assert.Equal(("/grpc.health.v1.Health/Check", "payments", "kube-probe/1.33"), (call.Path, call.Service, call.UserAgent)));
    }
}
