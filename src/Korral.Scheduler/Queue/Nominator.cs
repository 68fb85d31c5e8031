using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Queue;

/// <summary>Pods nominated to nodes by preemption, by node and by UID. Thread-safe.</summary>
public sealed class Nominator : INominator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PodInfo>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeOfPod = new(StringComparer.Ordinal);

    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName)
    {
        lock (_lock)
        {
            return _byNode.TryGetValue(nodeName, out var pods) ? [.. pods] : [];
        }
    }

    /// <summary>True when any pod is nominated anywhere (the common case, none, skips the nominated-pod filter pass).</summary>
    public bool Any
    {
        get
        {
            lock (_lock)
            {
                return _nodeOfPod.Count > 0;
            }
        }
    }

    public void AddNominatedPod(PodInfo pod, string nodeName)
    {
        lock (_lock)
        {
            RemoveLocked(pod.Uid);
            if (string.IsNullOrEmpty(nodeName))
            {
                return;
            }

            _nodeOfPod[pod.Uid] = nodeName;
            if (!_byNode.TryGetValue(nodeName, out var pods))
            {
                _byNode[nodeName] = pods = [];
            }

            pods.Add(pod);
        }
    }

    public void DeleteNominatedPodIfExists(string podUid)
    {
        lock (_lock)
        {
            RemoveLocked(podUid);
        }
    }

    /// <summary>Keeps the nominated copy current when the pod changes (its nomination follows status.nominatedNodeName).</summary>
    public void Update(PodInfo pod)
    {
        var nominated = pod.Pod.Status?.NominatedNodeName;
        lock (_lock)
        {
            if (!string.IsNullOrEmpty(nominated))
            {
                RemoveLocked(pod.Uid);
                _nodeOfPod[pod.Uid] = nominated;
                if (!_byNode.TryGetValue(nominated, out var pods))
                {
                    _byNode[nominated] = pods = [];
                }

                pods.Add(pod);
            }
            else if (_nodeOfPod.TryGetValue(pod.Uid, out var node) && _byNode.TryGetValue(node, out var list))
            {
                var i = list.FindIndex(p => p.Uid == pod.Uid);
                if (i >= 0)
                {
                    list[i] = pod;
                }
            }
        }
    }

    private void RemoveLocked(string uid)
    {
        if (_nodeOfPod.Remove(uid, out var node) && _byNode.TryGetValue(node, out var pods))
        {
            pods.RemoveAll(p => p.Uid == uid);
            if (pods.Count == 0)
            {
                _byNode.Remove(node);
            }
        }
    }
}
