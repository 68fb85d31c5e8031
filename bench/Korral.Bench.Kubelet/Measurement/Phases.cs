namespace Korral.Bench.Kubelet.Measurement;

/// <summary>
/// The steps of a pod's start and deletion, each between two stamps of its timeline (watch, the benchmark's requests,
/// containerd's log), so the report can say where the time goes. Steps that add up: the startup ones from "create →
/// seen scheduled" to "StartContainer returned → seen running" cover the whole startup.
/// </summary>
public static class Phases
{
    public static IReadOnlyList<(string Name, Func<PodTimeline, TimeSpan?> Of)> Startup { get; } =
    [
        ("create sent → seen scheduled (API, scheduler, bind, watch)", p => p.Scheduled - p.CreateSent),
        ("seen scheduled → RunPodSandbox called (kubelet watch, queue, volumes)", p => p.Runtime?.RunPodSandboxStart - p.Scheduled),
        ("RunPodSandbox (netns, CNI bridge, pause container)", p => p.Runtime?.RunPodSandboxEnd - p.Runtime?.RunPodSandboxStart),
        ("  of which until its shim started (netns, CNI ADD, sandbox record)", p => p.Runtime?.ShimStarted - p.Runtime?.RunPodSandboxStart),
        ("  of which shim started → returned (runc create/start of pause)", p => p.Runtime?.RunPodSandboxEnd - p.Runtime?.ShimStarted),
        ("sandbox ready → CreateContainer called (sandbox status, image check or pull)", p => p.Runtime?.CreateContainerStart - p.Runtime?.RunPodSandboxEnd),
        ("  of which PullImage (policy Always; sequential runs)", p => p.Runtime?.PullEnd - p.Runtime?.PullStart),
        ("CreateContainer", p => p.Runtime?.CreateContainerEnd - p.Runtime?.CreateContainerStart),
        ("container created → StartContainer returned", p => p.Runtime?.StartContainerEnd - p.Runtime?.CreateContainerEnd),
        ("StartContainer returned → seen running (status write, watch)", p => p.Running - p.Runtime?.StartContainerEnd),
        ("startup: create sent → seen running", p => p.Startup),
    ];

    public static IReadOnlyList<(string Name, Func<PodTimeline, TimeSpan?> Of)> Deletion { get; } =
    [
        ("delete sent → StopContainer called", p => p.Runtime?.StopContainerStart - p.DeleteSent),
        ("StopContainer (SIGTERM, nginx exits)", p => p.Runtime?.StopContainerEnd - p.Runtime?.StopContainerStart),
        ("container stopped → StopPodSandbox returned (CNI DEL, pause stopped)", p => p.Runtime?.StopPodSandboxEnd - p.Runtime?.StopContainerEnd),
        ("sandbox stopped → seen gone (status, final delete, watch)", p => p.Gone - p.Runtime?.StopPodSandboxEnd),
        ("delete sent → seen gone", p => p.DeleteToGone),
        ("seen gone → sandbox removed (after the API object)", p => p.Runtime?.RemovePodSandboxEnd - p.Gone),
    ];
}
