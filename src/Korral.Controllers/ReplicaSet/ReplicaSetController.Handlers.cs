using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Controllers.Common;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.ReplicaSets;

/// <summary>Pod event handlers: observe expectations and enqueue the ReplicaSets concerned. Quick and non-blocking.</summary>
public sealed partial class ReplicaSetController
{
    public void OnPodAdd(Pod pod)
    {
        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            // Seen for the first time already being deleted (a relist): count it as deleted.
            OnPodDelete(pod);
            return;
        }

        if (OwnerRefs.ControllerOf(pod.Metadata) is { } owner)
        {
            if (ResolveControllerRef(pod.Metadata?.Namespace, owner) is { } rs)
            {
                var key = KubeObject.Key(rs);
                Expectations.CreationObserved(key);
                Queue.Add(key);
            }

            return;
        }

        // An orphan: whoever matches may adopt it.
        foreach (var rs in ReplicaSetsMatching(pod))
        {
            Queue.Add(KubeObject.Key(rs));
        }
    }

    public void OnPodUpdate(Pod old, Pod cur)
    {
        if (old.Metadata?.ResourceVersion == cur.Metadata?.ResourceVersion)
        {
            return; // a resync
        }

        var labelsChanged = !LabelsEqual(old.Metadata?.Labels, cur.Metadata?.Labels);
        if (cur.Metadata?.DeletionTimestamp is not null)
        {
            // Graceful deletion started: the pod no longer counts; expect its deletion now rather than when it is gone.
            OnPodDelete(cur);
            if (labelsChanged)
            {
                OnPodDelete(old);
            }

            return;
        }

        var curRef = OwnerRefs.ControllerOf(cur.Metadata);
        var oldRef = OwnerRefs.ControllerOf(old.Metadata);
        var refChanged = curRef?.Uid != oldRef?.Uid;
        if (refChanged && oldRef is not null && ResolveControllerRef(old.Metadata?.Namespace, oldRef) is { } oldRs)
        {
            Queue.Add(KubeObject.Key(oldRs));
        }

        if (curRef is not null)
        {
            if (ResolveControllerRef(cur.Metadata?.Namespace, curRef) is { } rs)
            {
                var key = KubeObject.Key(rs);
                Queue.Add(key);
                var minReady = rs.Spec?.MinReadySeconds ?? 0;
                if (minReady > 0 && !PodUtil.IsReady(old) && PodUtil.IsReady(cur))
                {
                    // Check again when the pod may have become available.
                    Queue.AddAfter(key, TimeSpan.FromSeconds(minReady) + TimeSpan.FromSeconds(1));
                }
            }

            return;
        }

        if (labelsChanged || refChanged)
        {
            foreach (var rs in ReplicaSetsMatching(cur))
            {
                Queue.Add(KubeObject.Key(rs));
            }
        }
    }

    public void OnPodDelete(Pod pod)
    {
        if (OwnerRefs.ControllerOf(pod.Metadata) is { } owner && ResolveControllerRef(pod.Metadata?.Namespace, owner) is { } rs)
        {
            var key = KubeObject.Key(rs);
            Expectations.DeletionObserved(key, KubeObject.Key(pod));
            Queue.Add(key);
        }
    }

    private RS? ResolveControllerRef(string? ns, Api.Models.MetaV1.OwnerReference owner)
    {
        if (owner.Kind != "ReplicaSet" || owner.Name is null)
        {
            return null;
        }

        var rs = _replicaSets.Get(ns, owner.Name);
        return rs?.Metadata?.Uid == owner.Uid ? rs : null;
    }

    private IEnumerable<RS> ReplicaSetsMatching(Pod pod)
    {
        var labels = pod.Metadata?.Labels;
        if (labels is null || labels.Count == 0)
        {
            yield break;
        }

        foreach (var rs in _replicaSets.List(pod.Metadata?.Namespace ?? ""))
        {
            if (!Selector.TryFromLabelSelector(rs.Spec?.Selector, out var selector, out _) || selector.Empty)
            {
                continue;
            }

            if (selector.Matches(labels.AsReadOnly()))
            {
                yield return rs;
            }
        }
    }

    private static bool LabelsEqual(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        return a is null || b is null || a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
