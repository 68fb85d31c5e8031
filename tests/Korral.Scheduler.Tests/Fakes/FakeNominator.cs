using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Fakes;

/// <summary>Pods nominated to nodes, kept in memory.</summary>
public sealed class FakeNominator : INominator
{
    private readonly object _lock = new();
    private readonly Dictionary<string, (PodInfo Pod, string Node)> _byUid = new(StringComparer.Ordinal);

    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName)
    {
        lock (_lock)
        {
            return [.. _byUid.Values.Where(v => v.Node == nodeName).Select(v => v.Pod)];
        }
    }

    public void AddNominatedPod(PodInfo pod, string nodeName)
    {
        lock (_lock)
        {
            _byUid[pod.Uid] = (pod, nodeName);
        }
    }

    public void DeleteNominatedPodIfExists(string podUid)
    {
        lock (_lock)
        {
            _byUid.Remove(podUid);
        }
    }
}
