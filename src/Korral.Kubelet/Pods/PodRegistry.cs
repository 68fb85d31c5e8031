using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Pods;

/// <summary>
/// The pods bound to this node by UID, as the pod informer last saw them: a pod stays here after its API object is gone
/// until its runtime objects are cleaned up (<see cref="Forget"/>), so the worker still knows its grace period. Thread-safe.
/// </summary>
public sealed class PodRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _pods = new(StringComparer.Ordinal);

    /// <summary>Records the pod's latest version; returns its UID.</summary>
    public string Update(Pod pod)
    {
        var uid = pod.Metadata?.Uid ?? "";
        lock (_lock)
        {
            _pods[uid] = new Entry(pod, Deleted: false);
        }

        return uid;
    }

    /// <summary>Marks the pod's API object as gone.</summary>
    public string MarkDeleted(Pod pod)
    {
        var uid = pod.Metadata?.Uid ?? "";
        lock (_lock)
        {
            _pods[uid] = new Entry(pod, Deleted: true);
        }

        return uid;
    }

    /// <summary>The pod's latest version and whether its API object was deleted; null when unknown.</summary>
    public (Pod Pod, bool Deleted)? Get(string uid)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(uid, out var e) ? (e.Pod, e.Deleted) : null;
        }
    }

    /// <summary>UIDs of pods whose API objects still exist.</summary>
    public IReadOnlyList<string> ActiveUids()
    {
        lock (_lock)
        {
            return [.. _pods.Where(p => !p.Value.Deleted).Select(p => p.Key)];
        }
    }

    /// <summary>The live pod of that namespace and name on this node (a scan: a node runs at most a few hundred pods).</summary>
    public Pod? FindByName(string @namespace, string name)
    {
        lock (_lock)
        {
            return _pods.Values.Where(e => !e.Deleted && e.Pod.Metadata?.Namespace == @namespace && e.Pod.Metadata?.Name == name)
                .Select(e => e.Pod).FirstOrDefault();
        }
    }

    public IReadOnlyList<string> AllUids()
    {
        lock (_lock)
        {
            return [.. _pods.Keys];
        }
    }

    public void Forget(string uid)
    {
        lock (_lock)
        {
            _pods.Remove(uid);
        }
    }

    private sealed record Entry(Pod Pod, bool Deleted);
}
