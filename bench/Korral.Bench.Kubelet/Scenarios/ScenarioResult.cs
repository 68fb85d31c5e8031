using Korral.Bench.Kubelet.Measurement;

namespace Korral.Bench.Kubelet.Scenarios;

/// <summary>One measured scenario (sequential or parallel, one pull-policy variant): its pods' timelines and the batch figures.</summary>
public sealed class ScenarioResult(string kind, PullPolicyVariant variant, IReadOnlyList<PodTimeline> pods)
{
    /// <summary>"sequential" or "parallel".</summary>
    public string Kind { get; } = kind;

    public PullPolicyVariant Variant { get; } = variant;

    public IReadOnlyList<PodTimeline> Pods { get; } = pods;

    public MachineSample? Start { get; set; }

    public MachineSample? End { get; set; }

    /// <summary>The first create sent → the last pod seen running (the parallel batch's "all running").</summary>
    public TimeSpan? AllRunning { get; set; }

    /// <summary>The first delete sent → the last pod gone from the API.</summary>
    public TimeSpan? AllGone { get; set; }

    /// <summary>The first delete sent → the node idle: no shim of it left (every sandbox removed), no pod volume mounted.</summary>
    public TimeSpan? RuntimeCleared { get; set; }

    /// <summary>PullImage calls containerd served while the pods started.</summary>
    public int Pulls { get; set; }

    public Summary? PullDurations { get; set; }

    public List<string> Problems { get; } = [];

    /// <summary>
    /// CPU the node spent per started pod, in ms: the server and containerd (with the CNI plugins it waits for) from the
    /// creates to all running, plus the pods' shims (with the runc calls they wait for) just before deletion.
    /// </summary>
    public double? NodeCpuMsPerPod { get; set; }

    public double? ShimCpuMsPerPod { get; set; }

    /// <summary>The korral server's part of <see cref="NodeCpuMsPerPod"/> (the rest is containerd's).</summary>
    public double? ServerCpuMsPerPod { get; set; }

    /// <summary>Most pods the runtime worked on at once while starting (RunPodSandbox called → StartContainer returned).</summary>
    public int MaxStarting => MaxOverlap(Pods.Select(p => (p.Runtime?.RunPodSandboxStart, p.Runtime?.StartContainerEnd)));

    /// <summary>Most pods the runtime worked on at once while stopping (StopContainer called → StopPodSandbox returned).</summary>
    public int MaxStopping => MaxOverlap(Pods.Select(p => (p.Runtime?.StopContainerStart, p.Runtime?.StopPodSandboxEnd)));

    public Summary? Startup => Summary.Of(Pods.Select(p => p.Startup));

    public Summary? StartupFromCreationTimestamp => Summary.Of(Pods.Select(p => p.StartupFromCreationTimestamp));

    public Summary? DeleteToGone => Summary.Of(Pods.Select(p => p.DeleteToGone));

    private static int MaxOverlap(IEnumerable<(DateTimeOffset? From, DateTimeOffset? To)> spans)
    {
        var edges = spans.Where(s => s.From is not null && s.To is not null)
            .SelectMany(s => new[] { (At: s.From!.Value, Delta: 1), (At: s.To!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var (_, delta) in edges)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }
}
