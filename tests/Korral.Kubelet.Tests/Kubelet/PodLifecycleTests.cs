using System.Diagnostics;
using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Tests.Fixtures;
using CriContainerState = Korral.Kubelet.Cri.V1.ContainerState;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>
/// A pod's life on a real kubelet and containerd: it runs with an address on the pod network and upstream's status, a
/// restarted kubelet adopts its running container, and a deleted pod is stopped gracefully, confirmed and cleaned up.
/// </summary>
public sealed class PodLifecycleTests(ContainerdFixture containerd, KubeletApiServer api) : KubeletTestBase(containerd, api)
{
    private const string Nginx = """
        {"containers": [{"name": "web", "image": "docker.io/library/nginx:latest", "imagePullPolicy": "IfNotPresent"}]}
        """;

    [Fact]
    public async Task BoundPodRunsOnThePodNetworkWithUpstreamsStatus()
    {
        var created = await CreatePodAsync("web", Nginx);

        var pod = await WaitForPodAsync("web", p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.SingleOrDefault()?.Ready == true, "Running and ready");

        var status = pod.Status!;
        Assert.True(IPNetwork.Parse(ContainerdFixture.Subnet).Contains(IPAddress.Parse(status.PodIP!)), $"pod IP {status.PodIP} is outside {ContainerdFixture.Subnet}");
        Assert.Equal([status.PodIP], status.PodIPs!.Select(i => i.Ip));
        Assert.Equal("127.0.0.1", status.HostIP);
        Assert.Equal("BestEffort", status.QosClass);
        Assert.NotNull(status.StartTime);
        foreach (var type in (string[])["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        {
            Assert.True(status.Conditions!.SingleOrDefault(c => c.Type == type)?.Status == "True", $"condition {type} is not True: {Json(status.Conditions)}");
        }

        var web = Assert.Single(status.ContainerStatuses!);
        Assert.Equal("web", web.Name);
        Assert.True(web.Started);
        Assert.Equal(0, web.RestartCount);
        // containerd 1.6 names the image by its first tag; the offline nginx image carries several, and the status still says
        // the one the spec asked for, as upstream's kubelet does.
        Assert.Equal("docker.io/library/nginx:latest", web.Image);
        Assert.Contains("sha256:", web.ImageID, StringComparison.Ordinal);
        Assert.NotNull(web.State?.Running?.StartedAt);
        Assert.Null(web.State!.Waiting);
        Assert.Null(web.LastState?.Terminated);
        Assert.StartsWith("containerd://", web.ContainerID, StringComparison.Ordinal);

        // What the status says is what runs: the container of that ID in the pod's one sandbox, at the pod's address.
        var runtime = await RuntimeOfAsync(created.Metadata!.Uid!);
        var sandbox = Assert.Single(runtime!.Sandboxes);
        Assert.Equal(PodSandboxState.SandboxReady, sandbox.State);
        var container = Assert.Single(runtime.Containers);
        Assert.Equal("containerd://" + container.Id, web.ContainerID);
        Assert.Equal(CriContainerState.ContainerRunning, container.State);
        var network = (await Containerd.Client.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox.Id }, CancellationToken.None)).Status.Network;
        Assert.Equal(status.PodIP, network.Ip);
    }

    [Fact]
    public async Task NewPodShowsContainerCreatingBeforeItRuns()
    {
        var seen = new List<string>();
        var informer = new Korral.Client.Informers.SharedInformer<Pod>(Admin.Resource<Pod>(), new Korral.Client.Informers.InformerOptions { Namespace = Namespace });
        informer.AddEventHandler(onUpdate: (_, p) =>
        {
            lock (seen)
            {
                seen.Add(p.Status?.ContainerStatuses?.SingleOrDefault()?.State is { } s
                    ? s.Waiting?.Reason ?? (s.Running is not null ? "Running" : "Terminated")
                    : "none");
            }
        });
        using var stop = new CancellationTokenSource();
        var watching = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);

        await CreatePodAsync("web", Nginx);
        await WaitForPodAsync("web", p => p.Status?.Phase == "Running", "Running");
        await Eventually.TrueAsync(() => Task.FromResult(SeenRunning()), PodTimeout, () => $"the watch never showed Running: {string.Join(", ", Seen())}");
        await stop.CancelAsync();
        try
        {
            await watching;
        }
        catch (OperationCanceledException)
        {
        }

        // Upstream's kubelet reports Pending with ContainerCreating while the sandbox starts; the pod goes Running after.
        var states = Seen();
        var creating = states.IndexOf("ContainerCreating");
        Assert.True(creating >= 0 && creating < states.IndexOf("Running"), $"statuses seen: {string.Join(", ", states)}");

        List<string> Seen()
        {
            lock (seen)
            {
                return [.. seen];
            }
        }

        bool SeenRunning() => Seen().Contains("Running");
    }

    [Fact]
    public async Task RestartedKubeletAdoptsTheRunningContainer()
    {
        var created = await CreatePodAsync("web", Nginx);
        var uid = created.Metadata!.Uid!;
        var before = (await WaitForPodAsync("web", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.Ready == true, "ready")).Status!.ContainerStatuses![0];
        var sandboxId = (await RuntimeOfAsync(uid))!.Sandbox!.Id;

        await Node.RestartAsync();

        // The new kubelet synced the pod through to its status write: a sync asks for the sandbox's status once to find
        // the pod IP and once more for the status, and syncs of one pod never overlap.
        await Eventually.TrueAsync(
            () => Task.FromResult(Node.Calls.Calls.Count(c => c.Request is PodSandboxStatusRequest r && r.PodSandboxId == sandboxId) >= 2),
            PodTimeout, () => $"the restarted kubelet never synced the pod\n{Node.LogTail()}");
        Assert.Equal("", Node.Calls.Changes());

        var after = (await Admin.Resource<Pod>().GetAsync(Namespace, "web", CancellationToken.None)).Status!.ContainerStatuses![0];
        Assert.Equal(before.ContainerID, after.ContainerID);
        Assert.Equal(0, after.RestartCount);
        Assert.True(after.Ready);
        Assert.Equal(before.State!.Running!.StartedAt, after.State!.Running!.StartedAt);
        var runtime = await RuntimeOfAsync(uid);
        Assert.Equal("containerd://" + Assert.Single(runtime!.Containers).Id, after.ContainerID);
        Assert.Equal(sandboxId, Assert.Single(runtime.Sandboxes).Id);
        Assert.DoesNotContain(await EventsOfAsync(uid), e => e.Reason == "Killing");
    }

    [Fact]
    public async Task DeletedPodIsStoppedGracefullyConfirmedAndCleanedUp()
    {
        var created = await CreatePodAsync("web", Nginx);
        var uid = created.Metadata!.Uid!;
        await WaitForPodAsync("web", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.Ready == true, "ready");
        // nginx runs as PID 1 of its container, which the kernel shields from signals it has no handler for yet: a
        // SIGQUIT that came before nginx set up its handlers would be lost and the stop would take the whole grace period.
        // Its master logs "start worker processes" once they are set up.
        await Eventually.TrueAsync(() => Task.FromResult(LogLinesOf(created, "web").Any(l => l.Contains("start worker process", StringComparison.Ordinal))),
            PodTimeout, () => $"nginx never started its workers: {string.Join(" | ", LogLinesOf(created, "web"))}");

        var clock = Stopwatch.StartNew();
        var deleting = await Admin.Resource<Pod>().DeleteAsync(Namespace, "web", CancellationToken.None);

        // The API server only marks the pod (grace period 30 s); the kubelet stops nginx (SIGQUIT, its image's stop
        // signal: it exits at once) and confirms with grace period 0, long before the 30 s are up.
        Assert.NotNull(deleting?.Metadata?.DeletionTimestamp);
        Assert.Equal(30, deleting!.Metadata!.DeletionGracePeriodSeconds);
        await WaitForPodGoneAsync("web", TimeSpan.FromSeconds(25));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the deletion took {clock.Elapsed.TotalSeconds:0.0} s");

        IReadOnlyList<string> left = [];
        await Eventually.TrueAsync(async () => (left = await LeftoversOfPodAsync(uid)).Count == 0, PodTimeout,
            () => $"the deleted pod left {string.Join(", ", left)}\n{Node.LogTail()}");
        Assert.Contains(await EventsOfAsync(uid), e => e.Reason == "Killing" && e.Message == "Stopping container web");
    }
}
