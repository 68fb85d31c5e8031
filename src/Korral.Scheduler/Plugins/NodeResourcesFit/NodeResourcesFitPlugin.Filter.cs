using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>The fit check and its statuses.</summary>
public sealed partial class NodeResourcesFitPlugin
{
    private const int TooManyPods = 1, InsufficientCpu = 2, InsufficientMemory = 4, InsufficientEphemeralStorage = 8, UnresolvableBit = 16;

    /// <summary>
    /// Every combination of the fixed reasons, built once: thousands of nodes can fail one pod in a cycle, and statuses are
    /// immutable, so they share these instead of allocating one each. Index: reason bits, plus 16 when unresolvable.
    /// </summary>
    private static readonly Status[] FixedStatuses = BuildFixedStatuses();

    private static Status Fits(PreFilterState s, NodeInfo node)
    {
        var failed = 0;
        if (node.Pods.Count + 1 > node.Allocatable.AllowedPodNumber)
        {
            failed |= TooManyPods;
        }

        if (s.NothingRequested)
        {
            return failed == 0 ? Status.Success : FixedStatuses[failed];
        }

        var request = s.Requests;
        var allocatable = node.Allocatable;
        var requested = node.Requested;
        var unresolvable = false;
        if (request.MilliCpu > 0 && request.MilliCpu > allocatable.MilliCpu - requested.MilliCpu)
        {
            failed |= InsufficientCpu;
            unresolvable |= request.MilliCpu > allocatable.MilliCpu;
        }

        if (request.Memory > 0 && request.Memory > allocatable.Memory - requested.Memory)
        {
            failed |= InsufficientMemory;
            unresolvable |= request.Memory > allocatable.Memory;
        }

        if (request.EphemeralStorage > 0 && request.EphemeralStorage > allocatable.EphemeralStorage - requested.EphemeralStorage)
        {
            failed |= InsufficientEphemeralStorage;
            unresolvable |= request.EphemeralStorage > allocatable.EphemeralStorage;
        }

        List<string>? scalarReasons = null;
        foreach (var (name, quantity) in s.Scalars)
        {
            var capacity = allocatable.ScalarValue(name);
            if (quantity > capacity - requested.ScalarValue(name))
            {
                (scalarReasons ??= []).Add("Insufficient " + name);
                unresolvable |= quantity > capacity;
            }
        }

        if (scalarReasons is null)
        {
            return failed == 0 ? Status.Success : FixedStatuses[failed | (unresolvable ? UnresolvableBit : 0)];
        }

        string[] reasons = failed == 0 ? [.. scalarReasons] : [.. FixedStatuses[failed].Reasons, .. scalarReasons];
        return unresolvable ? Status.Unresolvable(reasons) : Status.Unschedulable(reasons);
    }

    private static Status[] BuildFixedStatuses()
    {
        var statuses = new Status[32];
        for (var index = 1; index < statuses.Length; index++)
        {
            var reasons = new List<string>(4);
            if ((index & TooManyPods) != 0)
            {
                reasons.Add("Too many pods");
            }

            if ((index & InsufficientCpu) != 0)
            {
                reasons.Add("Insufficient cpu");
            }

            if ((index & InsufficientMemory) != 0)
            {
                reasons.Add("Insufficient memory");
            }

            if ((index & InsufficientEphemeralStorage) != 0)
            {
                reasons.Add("Insufficient ephemeral-storage");
            }

            statuses[index] = (index & UnresolvableBit) != 0 ? Status.Unresolvable([.. reasons]) : Status.Unschedulable([.. reasons]);
        }

        return statuses;
    }

    /// <summary>The pod's requests as Filter checks them, computed once per cycle: the non-zero extended ones not ignored.</summary>
    private sealed class PreFilterState
    {
        private PreFilterState(Resource requests, KeyValuePair<string, long>[] scalars)
        {
            Requests = requests;
            Scalars = scalars;
            NothingRequested = requests.MilliCpu == 0 && requests.Memory == 0 && requests.EphemeralStorage == 0 && scalars.Length == 0;
        }

        public Resource Requests { get; }

        public KeyValuePair<string, long>[] Scalars { get; }

        /// <summary>Only the pod slot is checked (upstream returns early for pods that request nothing).</summary>
        public bool NothingRequested { get; }

        public static PreFilterState For(PodInfo pod, NodeResourcesFitPlugin plugin)
        {
            var scalars = new List<KeyValuePair<string, long>>();
            if (pod.Requests.Scalar is { } all)
            {
                foreach (var (name, quantity) in all)
                {
                    if (quantity != 0 && !plugin.IsIgnored(name))
                    {
                        scalars.Add(new(name, quantity));
                    }
                }
            }

            return new PreFilterState(pod.Requests, [.. scalars]);
        }
    }
}
