using System.Diagnostics;
using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>What a container gets before and around it: init containers first, its environment and volumes from
/// ConfigMaps and Secrets, and its preStop hook before the stop signal.</summary>
public sealed class ContainerSetupTests(ContainerdFixture containerd, KubeletApiServer api) : KubeletTestBase(containerd, api)
{
    private const string Busybox = "docker.io/library/busybox:1.36";

    [Fact]
    public async Task InitContainerCompletesBeforeTheMainContainerStarts()
    {
        var created = await CreatePodAsync("init", $$$$"""
            {"initContainers": [{"name": "prepare", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
                                 "command": ["sh", "-c", "echo prepared by init > /work/flag"], "volumeMounts": [{"name": "work", "mountPath": "/work"}]}],
             "containers": [{"name": "main", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
                             "command": ["sh", "-c", "cat /work/flag; sleep 3600"], "volumeMounts": [{"name": "work", "mountPath": "/work"}]}],
             "volumes": [{"name": "work", "emptyDir": {}}]}
            """);

        var pod = await WaitForPodAsync("init", p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.SingleOrDefault()?.Ready == true, "Running and ready");

        var init = Assert.Single(pod.Status!.InitContainerStatuses!);
        Assert.Equal("prepare", init.Name);
        Assert.Equal((0, "Completed"), (init.State?.Terminated?.ExitCode, init.State?.Terminated?.Reason));
        Assert.True(init.Ready);
        Assert.Equal(0, init.RestartCount);
        var main = Assert.Single(pod.Status.ContainerStatuses!);
        Assert.True(main.State?.Running?.StartedAt >= init.State!.Terminated!.FinishedAt,
            $"main started at {main.State?.Running?.StartedAt:o}, before init finished at {init.State.Terminated.FinishedAt:o}");
        Assert.Equal("True", pod.Status.Conditions!.Single(c => c.Type == "Initialized").Status);
        // The main container saw what the init container left in the shared emptyDir.
        await WaitForLogAsync(created, "main", "prepared by init");
    }

    [Fact]
    public async Task EnvironmentAndVolumeFromConfigMapAndSecretReachTheContainer()
    {
        await Admin.Resource<ConfigMap>().CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "webapp-config", Namespace = Namespace },
            Data = new Dictionary<string, string> { ["WEBAPP_ENV"] = "production", ["app.properties"] = "color=blue\nsize=large\n" },
        }, CancellationToken.None);
        await Admin.Resource<Secret>().CreateAsync(new Secret
        {
            Metadata = new ObjectMeta { Name = "webapp-secret", Namespace = Namespace },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cr3t") },
        }, CancellationToken.None);

        var created = await CreatePodAsync("webapp", $$$$"""
            {"containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
               "command": ["sh", "-c", "echo env=$WEBAPP_ENV; echo password=$DB_PASSWORD; echo prefixed=$SECRET_password; cat /etc/config/app.properties; sleep 3600"],
               "env": [{"name": "WEBAPP_ENV", "valueFrom": {"configMapKeyRef": {"name": "webapp-config", "key": "WEBAPP_ENV"}}},
                       {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "webapp-secret", "key": "password"}}}],
               "envFrom": [{"prefix": "SECRET_", "secretRef": {"name": "webapp-secret"}}],
               "volumeMounts": [{"name": "config", "mountPath": "/etc/config", "readOnly": true}]}],
             "volumes": [{"name": "config", "configMap": {"name": "webapp-config"}}]}
            """);

        await WaitForPodAsync("webapp", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.Ready == true, "ready");
        await WaitForLogAsync(created, "app", "env=production", "password=s3cr3t", "prefixed=s3cr3t", "color=blue", "size=large");
    }

    [Fact]
    public async Task ConfigMapVolumeFollowsUpdatesOfItsConfigMap()
    {
        await Admin.Resource<ConfigMap>().CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "live", Namespace = Namespace },
            Data = new Dictionary<string, string> { ["color"] = "blue" },
        }, CancellationToken.None);
        var created = await CreatePodAsync("reader", $$$$"""
            {"containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
               "command": ["sh", "-c", "while true; do echo color=$(cat /etc/live/color); sleep 0.5; done"],
               "volumeMounts": [{"name": "live", "mountPath": "/etc/live"}]}],
             "volumes": [{"name": "live", "configMap": {"name": "live"}}]}
            """);
        await WaitForLogLineAsync(created, "color=blue");

        await Admin.Resource<ConfigMap>().PatchAsync(Namespace, "live", Korral.Client.PatchType.Merge, """{"data":{"color":"green"}}""", CancellationToken.None);

        // The running container sees the new content (upstream: within its sync period plus the cache TTL), without a restart.
        await WaitForLogLineAsync(created, "color=green");
        var pod = await Admin.Resource<Pod>().GetAsync(Namespace, "reader", CancellationToken.None);
        Assert.Equal(0, pod.Status!.ContainerStatuses!.Single().RestartCount);
    }

    private Task WaitForLogLineAsync(Pod pod, string line) =>
        Eventually.TrueAsync(() => Task.FromResult(LogLinesOf(pod, "app").Contains(line)), PodTimeout,
            () => $"log of {pod.Metadata!.Name}/app never had \"{line}\": [{string.Join(" | ", LogLinesOf(pod, "app").TakeLast(5))}]");

    [Fact]
    public async Task PreStopHookRunsBeforeTheStopSignal()
    {
        var hostDir = Path.Combine(Node.Root, "hook");
        Directory.CreateDirectory(hostDir);
        var events = Path.Combine(hostDir, "events");
        // busybox sh as PID 1 only reacts to SIGTERM through its trap, which runs once the current `sleep 1` returns.
        var created = await CreatePodAsync("hooked", $$$$"""
            {"terminationGracePeriodSeconds": 30,
             "containers": [{"name": "app", "image": "{{{{Busybox}}}}", "imagePullPolicy": "IfNotPresent",
               "command": ["sh", "-c", "trap 'echo sigterm >> /hook/events; exit 0' TERM; echo started >> /hook/events; while true; do sleep 1; done"],
               "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo prestop >> /hook/events"]}}},
               "volumeMounts": [{"name": "hook", "mountPath": "/hook"}]}],
             "volumes": [{"name": "hook", "hostPath": {"path": "{{{{hostDir}}}}", "type": "Directory"}}]}
            """);
        await WaitForPodAsync("hooked", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.Ready == true, "ready");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(events) && File.ReadAllText(events) == "started\n"), PodTimeout,
            () => $"the container did not start writing {events}");

        var clock = Stopwatch.StartNew();
        await Admin.Resource<Pod>().DeleteAsync(Namespace, "hooked", CancellationToken.None);
        await WaitForPodGoneAsync("hooked", TimeSpan.FromSeconds(25));

        Assert.Equal(["started", "prestop", "sigterm"], File.ReadAllLines(events));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the deletion took {clock.Elapsed.TotalSeconds:0.0} s: the container did not stop on SIGTERM");
        Assert.DoesNotContain(await EventsOfAsync(created.Metadata!.Uid!), e => e.Reason == "FailedPreStopHook");
    }
}
