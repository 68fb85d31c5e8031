using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>Readiness probes gate the pod's Ready condition; failing liveness probes restart the container.</summary>
public sealed class ProbeTests(ContainerdFixture containerd, KubeletApiServer api) : KubeletTestBase(containerd, api)
{
    private const string Busybox = "docker.io/library/busybox:1.36";

    [Fact]
    public async Task ReadinessProbeKeepsTheContainerNotReadyUntilItPasses()
    {
        // The probe looks for a file the test creates once it saw the pod not ready: no race with the container's own timing.
        var hostDir = Path.Combine(Node.Root, "ready");
        Directory.CreateDirectory(hostDir);
        await CreatePodAsync("gated", $$$$"""
            {"terminationGracePeriodSeconds": 1,
             "containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent", "command": ["sleep", "3600"],
               "readinessProbe": {"exec": {"command": ["test", "-f", "/probe/ready"]}, "periodSeconds": 1},
               "volumeMounts": [{"name": "probe", "mountPath": "/probe"}]}],
             "volumes": [{"name": "probe", "hostPath": {"path": "{{{{hostDir}}}}", "type": "Directory"}}]}
            """);

        var pod = await WaitForPodAsync("gated", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Running is not null, "running");
        var status = Assert.Single(pod.Status!.ContainerStatuses!);
        Assert.False(status.Ready);
        Assert.True(status.Started);
        var ready = pod.Status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady"), (ready.Status, ready.Reason));
        Assert.Equal("containers with unready status: [app]", ready.Message);

        await File.WriteAllTextAsync(Path.Combine(hostDir, "ready"), "");
        pod = await WaitForPodAsync("gated", p => p.Status?.Conditions?.SingleOrDefault(c => c.Type == "Ready")?.Status == "True", "Ready True",
            TimeSpan.FromSeconds(30));
        Assert.True(pod.Status!.ContainerStatuses!.Single().Ready);
        Assert.Equal("True", pod.Status.Conditions!.Single(c => c.Type == "ContainersReady").Status);
        Assert.Equal(0, pod.Status.ContainerStatuses!.Single().RestartCount);
    }

    [Fact]
    public async Task FailingLivenessProbeRestartsTheContainer()
    {
        var created = await CreatePodAsync("doomed", $$$$"""
            {"terminationGracePeriodSeconds": 1,
             "containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent", "command": ["sleep", "3600"],
               "livenessProbe": {"exec": {"command": ["sh", "-c", "echo not alive; exit 1"]}, "periodSeconds": 1, "failureThreshold": 2}}]}
            """);
        var uid = created.Metadata!.Uid!;

        var pod = await WaitForPodAsync("doomed", p => p.Status?.ContainerStatuses?.SingleOrDefault() is { RestartCount: >= 1 }, "restarted");

        var status = Assert.Single(pod.Status!.ContainerStatuses!);
        Assert.NotNull(status.LastState?.Terminated);
        var events = await EventsOfAsync(uid);
        Assert.Contains(events, e => e is { Type: "Warning", Reason: "Unhealthy" } && e.Message == "Liveness probe failed: not alive\n"
            && e.InvolvedObject?.FieldPath == "spec.containers{app}");
        Assert.Contains(events, e => e is { Type: "Normal", Reason: "Killing" } && e.Message == "Container app failed liveness probe, will be restarted");
    }

    [Fact]
    public async Task HttpGetLivenessProbeReportsTheStatusCode()
    {
        // busybox httpd answers 404 for a page it does not have: the probe fails with upstream's wording and the container restarts.
        var created = await CreatePodAsync("http", $$$$"""
            {"terminationGracePeriodSeconds": 1,
             "containers": [{"name": "web", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
               "command": ["sh", "-c", "mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www"],
               "ports": [{"name": "http", "containerPort": 8080}],
               "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 1},
               "livenessProbe": {"httpGet": {"path": "/missing", "port": 8080}, "periodSeconds": 1, "failureThreshold": 2, "initialDelaySeconds": 1}}]}
            """);
        var uid = created.Metadata!.Uid!;

        var pod = await WaitForPodAsync("http", p => p.Status?.ContainerStatuses?.SingleOrDefault() is { RestartCount: >= 1 }, "restarted");

        Assert.NotNull(pod.Status!.ContainerStatuses!.Single().LastState?.Terminated);
        var events = await EventsOfAsync(uid);
        Assert.Contains(events, e => e is { Type: "Warning", Reason: "Unhealthy" } && e.Message == "Liveness probe failed: HTTP probe failed with statuscode: 404");
        Assert.DoesNotContain(events, e => e.Message?.StartsWith("Readiness probe failed", StringComparison.Ordinal) == true
            && e.Message.Contains("statuscode", StringComparison.Ordinal));
        Assert.Contains(events, e => e is { Type: "Normal", Reason: "Killing" } && e.Message == "Container web failed liveness probe, will be restarted");
    }
}
