using System.Collections.Concurrent;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

/// <summary>
/// A tiny stand-in for NodeResourcesFit that only looks at CPU, plus a stand-in for NodeAffinity: nodes labelled
/// <c>test/unresolvable</c> reject every pod for good. Counts its calls and remembers which nodes it was asked about.
/// </summary>
internal sealed class CpuFitFilter : IFilterPlugin
{
    public const string UnresolvableLabel = "test/unresolvable";
    public const string AffinityReason = "node(s) didn't match Pod's node affinity/selector";

    private int _calls;

    public string Name => "FakeResourcesFit";

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentDictionary<string, bool> NodesSeen { get; } = new(StringComparer.Ordinal);

    public void Reset()
    {
        Volatile.Write(ref _calls, 0);
        NodesSeen.Clear();
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        Interlocked.Increment(ref _calls);
        NodesSeen[node.Name] = true;
        if (node.Labels.ContainsKey(UnresolvableLabel))
        {
            return Status.Unresolvable(AffinityReason);
        }

        return node.Requested.MilliCpu + pod.Requests.MilliCpu > node.Allocatable.MilliCpu ? Status.Unschedulable("Insufficient cpu") : Status.Success;
    }
}
