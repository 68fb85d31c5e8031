using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// Upstream's resourceAllocationScorer: for each configured resource, the node's allocatable and what would be
/// requested with the pod on it, then a <see cref="ResourceScoreFunction"/>. With <c>useRequested</c> false (the Fit
/// strategies) cpu and memory count containers without requests as 100m / 200Mi, so empty pods still spread; the
/// balanced scorer uses the plain requests. A node that lacks a resource, or an extended resource the pod does not ask
/// for, is left out of the score.
/// </summary>
internal sealed class ResourceAllocationScorer
{
    private const int StackLimit = 16;

    private readonly string[] _names;
    private readonly Kind[] _kinds;
    private readonly long[] _weights;
    private readonly bool _useRequested;
    private readonly ResourceScoreFunction _score;

    public ResourceAllocationScorer(IReadOnlyList<ResourceSpec> resources, bool useRequested, ResourceScoreFunction score)
    {
        _names = new string[resources.Count];
        _kinds = new Kind[resources.Count];
        _weights = new long[resources.Count];
        for (var i = 0; i < resources.Count; i++)
        {
            _names[i] = resources[i].Name;
            _weights[i] = resources[i].Weight;
            _kinds[i] = resources[i].Name switch
            {
                "cpu" => Kind.Cpu,
                "memory" => Kind.Memory,
                "ephemeral-storage" => Kind.EphemeralStorage,
                "pods" => Kind.Ignored,
                _ => Kind.Scalar,
            };
        }

        _useRequested = useRequested;
        _score = score;
    }

    private enum Kind
    {
        Cpu,
        Memory,
        EphemeralStorage,
        Scalar,

        /// <summary>Not a scorable resource (pods): always left out, as upstream finds no allocatable for it.</summary>
        Ignored,
    }

    /// <summary>What the pod requests of each configured resource, in configuration order (computed once, in PreScore).</summary>
    public long[] PodRequests(PodInfo pod)
    {
        var result = new long[_names.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = _kinds[i] switch
            {
                Kind.Cpu => _useRequested ? pod.Requests.MilliCpu : pod.NonZeroMilliCpu,
                Kind.Memory => _useRequested ? pod.Requests.Memory : pod.NonZeroMemory,
                Kind.EphemeralStorage => pod.Requests.EphemeralStorage,
                Kind.Scalar => pod.Requests.ScalarValue(_names[i]),
                _ => 0,
            };
        }

        return result;
    }

    /// <summary>True when the pod requests none of the configured resources.</summary>
    public static bool IsBestEffort(long[] podRequests)
    {
        foreach (var r in podRequests)
        {
            if (r != 0)
            {
                return false;
            }
        }

        return true;
    }

    public long Score(NodeInfo node, long[] podRequests)
    {
        var n = _names.Length;
        Span<long> requested = n <= StackLimit ? stackalloc long[n] : new long[n];
        Span<long> allocatable = n <= StackLimit ? stackalloc long[n] : new long[n];
        var nodeRequested = _useRequested ? node.Requested : node.NonZeroRequested;
        for (var i = 0; i < n; i++)
        {
            var pod = podRequests[i];
            (allocatable[i], requested[i]) = _kinds[i] switch
            {
                Kind.Cpu => (node.Allocatable.MilliCpu, nodeRequested.MilliCpu + pod),
                Kind.Memory => (node.Allocatable.Memory, nodeRequested.Memory + pod),
                Kind.EphemeralStorage => (node.Allocatable.EphemeralStorage, node.Requested.EphemeralStorage + pod),
                Kind.Scalar when pod != 0 => (node.Allocatable.ScalarValue(_names[i]), node.Requested.ScalarValue(_names[i]) + pod),
                _ => (0L, 0L),
            };

            if (allocatable[i] == 0)
            {
                requested[i] = 0;
            }
        }

        return _score(requested, allocatable, _weights);
    }
}
