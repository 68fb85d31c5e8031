using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;
using Korral.Api.Models.StorageV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// Pods: bound ones feed the cache, pending ones of this scheduler the queue. Nodes feed the cache. Changes that may
    /// make rejected pods fit become cluster events for the queue; informers for volumes, namespaces and budgets are only
    /// started when a plugin registered for their events.
    /// </summary>
    private void RegisterEventHandlers(SharedInformerFactory informers)
    {
        _pods.AddEventHandler(onAdd: OnPodAdd, onUpdate: OnPodUpdate, onDelete: OnPodDelete);
        informers.Informer<Node>().AddEventHandler(
            onAdd: node =>
            {
                Cache.AddNode(node);
                Queue.OnClusterEvent(new ClusterEvent(EventResource.Node, ActionType.Add));
            },
            onUpdate: (old, node) =>
            {
                Cache.UpdateNode(node);
                var action = NodeChange(old, node);
                if (action != ActionType.None)
                {
                    Queue.OnClusterEvent(new ClusterEvent(EventResource.Node, action));
                }
            },
            onDelete: node =>
            {
                Cache.RemoveNode(node.Metadata?.Name ?? "");
                Queue.OnClusterEvent(new ClusterEvent(EventResource.Node, ActionType.Delete));
            });

        var wanted = Framework.RegisteredResources();
        if (wanted.Contains(EventResource.PersistentVolumeClaim))
        {
            Forward<PersistentVolumeClaim>(informers, EventResource.PersistentVolumeClaim);
        }

        if (wanted.Contains(EventResource.PersistentVolume))
        {
            Forward<PersistentVolume>(informers, EventResource.PersistentVolume);
        }

        if (wanted.Contains(EventResource.StorageClass))
        {
            Forward<StorageClass>(informers, EventResource.StorageClass);
        }

        if (wanted.Contains(EventResource.Namespace))
        {
            Forward<Namespace>(informers, EventResource.Namespace);
        }

        if (wanted.Contains(EventResource.PodDisruptionBudget))
        {
            Forward<PodDisruptionBudget>(informers, EventResource.PodDisruptionBudget);
        }
    }

    private void Forward<T>(SharedInformerFactory informers, EventResource resource)
        where T : class =>
        informers.Informer<T>().AddEventHandler(
            onAdd: _ => Queue.OnClusterEvent(new ClusterEvent(resource, ActionType.Add)),
            onUpdate: (_, _) => Queue.OnClusterEvent(new ClusterEvent(resource, ActionType.UpdateOther)),
            onDelete: _ => Queue.OnClusterEvent(new ClusterEvent(resource, ActionType.Delete)));

    private void OnPodAdd(Pod pod)
    {
        if (Assigned(pod))
        {
            Cache.AddPod(PodInfo.From(pod));
            Queue.Delete(pod.Metadata?.Uid ?? "");
            Queue.OnClusterEvent(new ClusterEvent(EventResource.AssignedPod, ActionType.Add));
        }
        else if (Responsible(pod) && pod.Metadata?.DeletionTimestamp is null)
        {
            Queue.Add(PodInfo.From(pod));
        }
    }

    private void OnPodUpdate(Pod old, Pod pod)
    {
        var uid = pod.Metadata?.Uid ?? "";
        if (Assigned(pod))
        {
            if (Assigned(old) && old.Spec?.NodeName == pod.Spec?.NodeName && old.Metadata?.Generation == pod.Metadata?.Generation
                && StringMaps.Equal(old.Metadata?.Labels, pod.Metadata?.Labels) && old.Metadata?.DeletionTimestamp == pod.Metadata?.DeletionTimestamp)
            {
                // Status-only updates (the kubelet's) change nothing the scheduler counts. A pod starting to terminate
                // does: preemption must see it (with its DisruptionTarget condition) to wait for its victims rather
                // than evict them again.
                return;
            }

            var info = PodInfo.From(pod);
            if (!Assigned(old))
            {
                // Just bound (by us: confirms the assumed pod; by someone else: takes it out of the queue).
                Queue.Delete(uid);
                Cache.AddPod(info);
                Queue.OnClusterEvent(new ClusterEvent(EventResource.AssignedPod, ActionType.Add));
                return;
            }

            Cache.UpdatePod(info);
            var action = PodChange(old, info);
            if (action != ActionType.None)
            {
                Queue.OnClusterEvent(new ClusterEvent(EventResource.AssignedPod, action));
            }

            return;
        }

        if (!Responsible(pod) || pod.Metadata?.DeletionTimestamp is not null)
        {
            Queue.Delete(uid);
            return;
        }

        if (old.Metadata?.ResourceVersion != pod.Metadata?.ResourceVersion)
        {
            Queue.Update(PodInfo.From(old), PodInfo.From(pod));
        }
    }

    private void OnPodDelete(Pod pod)
    {
        var uid = pod.Metadata?.Uid ?? "";
        Framework.WaitingPods.Reject(uid, "", "pod was deleted");
        if (Assigned(pod) || Cache.Contains(uid))
        {
            Cache.RemovePod(uid);
            Queue.Delete(uid);
            Queue.OnClusterEvent(new ClusterEvent(EventResource.AssignedPod, ActionType.Delete));
        }
        else
        {
            Queue.Delete(uid);
        }
    }

    /// <summary>What changed on a node that may matter to rejected pods (upstream's nodeSchedulingPropertiesChange).</summary>
    internal static ActionType NodeChange(Node old, Node node)
    {
        var action = ActionType.None;
        if (!SameQuantities(old.Status?.Allocatable, node.Status?.Allocatable))
        {
            action |= ActionType.UpdateNodeAllocatable;
        }

        if (!StringMaps.Equal(old.Metadata?.Labels, node.Metadata?.Labels))
        {
            action |= ActionType.UpdateNodeLabel;
        }

        var oldTaints = string.Join(";", (old.Spec?.Taints ?? []).Select(t => $"{t.Key}={t.Value}:{t.Effect}"));
        var newTaints = string.Join(";", (node.Spec?.Taints ?? []).Select(t => $"{t.Key}={t.Value}:{t.Effect}"));
        if (oldTaints != newTaints || (old.Spec?.Unschedulable ?? false) != (node.Spec?.Unschedulable ?? false))
        {
            action |= ActionType.UpdateNodeTaint;
        }

        var oldConditions = string.Join(";", (old.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}"));
        var newConditions = string.Join(";", (node.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}"));
        if (oldConditions != newConditions)
        {
            action |= ActionType.UpdateNodeCondition;
        }

        return action;
    }

    private static ActionType PodChange(Pod old, PodInfo pod)
    {
        var action = ActionType.None;
        if (!StringMaps.Equal(old.Metadata?.Labels, pod.Pod.Metadata?.Labels))
        {
            action |= ActionType.UpdatePodLabel;
        }

        var before = PodInfo.ComputeRequests(old.Spec).Requests;
        var after = pod.Requests;
        if (after.MilliCpu < before.MilliCpu || after.Memory < before.Memory || after.EphemeralStorage < before.EphemeralStorage)
        {
            action |= ActionType.UpdatePodScaleDown;
        }

        return action;
    }

    private static bool SameQuantities(IDictionary<string, Api.Models.Quantity>? a, IDictionary<string, Api.Models.Quantity>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        if (a is null || b is null)
        {
            return true;
        }

        foreach (var (name, quantity) in a)
        {
            if (!b.TryGetValue(name, out var other) || quantity.CompareTo(other) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
