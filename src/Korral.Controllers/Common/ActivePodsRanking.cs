using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.Common;

/// <summary>
/// The order in which workload controllers delete pods when scaling down, first = deleted first (upstream's
/// ActivePodsWithRanks with logarithmic scale-down): unscheduled before scheduled; Pending before Unknown before
/// Running; not ready before ready; more related pods on the same node before fewer; ready for a shorter time before
/// longer (compared in powers of two of the duration); more restarts before fewer; newer before older (also in powers of
/// two); then by uid so that the order is total.
/// </summary>
public sealed class ActivePodsRanking(IReadOnlyDictionary<Pod, int> ranks, DateTimeOffset now) : IComparer<Pod>
{
    /// <summary>Ranks each pod by how many of <paramref name="related"/> run on its node (0 when unscheduled).</summary>
    public static Dictionary<Pod, int> RankByRelatedPodsOnSameNode(IEnumerable<Pod> pods, IEnumerable<Pod> related)
    {
        var perNode = new Dictionary<string, int>();
        foreach (var p in related)
        {
            if (PodUtil.IsActive(p) && p.Spec?.NodeName is { Length: > 0 } node)
            {
                perNode[node] = perNode.GetValueOrDefault(node) + 1;
            }
        }

        var ranks = new Dictionary<Pod, int>(ReferenceEqualityComparer.Instance);
        foreach (var p in pods)
        {
            ranks[p] = p.Spec?.NodeName is { Length: > 0 } node ? perNode.GetValueOrDefault(node) : 0;
        }

        return ranks;
    }

    public int Compare(Pod? x, Pod? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var xAssigned = !string.IsNullOrEmpty(x.Spec?.NodeName);
        var yAssigned = !string.IsNullOrEmpty(y.Spec?.NodeName);
        if (xAssigned != yAssigned)
        {
            return xAssigned ? 1 : -1;
        }

        var xPhase = PhaseOrdinal(x.Status?.Phase);
        var yPhase = PhaseOrdinal(y.Status?.Phase);
        if (xPhase != yPhase)
        {
            return xPhase.CompareTo(yPhase);
        }

        var xReady = PodUtil.IsReady(x);
        var yReady = PodUtil.IsReady(y);
        if (xReady != yReady)
        {
            return xReady ? 1 : -1;
        }

        var xRank = ranks.GetValueOrDefault(x);
        var yRank = ranks.GetValueOrDefault(y);
        if (xRank != yRank)
        {
            return yRank.CompareTo(xRank); // more pods on the node: deleted first
        }

        if (xReady && yReady)
        {
            var xt = PodUtil.ReadyCondition(x)?.LastTransitionTime;
            var yt = PodUtil.ReadyCondition(y)?.LastTransitionTime;
            if (xt != yt)
            {
                var byTime = CompareTimes(xt, yt);
                if (byTime != 0)
                {
                    return byTime;
                }
            }
        }

        var xRestarts = PodUtil.MaxRestarts(x);
        var yRestarts = PodUtil.MaxRestarts(y);
        if (xRestarts != yRestarts)
        {
            return yRestarts.CompareTo(xRestarts);
        }

        var xc = x.Metadata?.CreationTimestamp;
        var yc = y.Metadata?.CreationTimestamp;
        if (xc != yc)
        {
            var byTime = CompareTimes(xc, yc);
            if (byTime != 0)
            {
                return byTime;
            }
        }

        return string.CompareOrdinal(x.Metadata?.Uid, y.Metadata?.Uid);
    }

    // Missing times first; then newer (a smaller power-of-two bucket of the age) first.
    private int CompareTimes(DateTimeOffset? x, DateTimeOffset? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        return Bucket(x.Value).CompareTo(Bucket(y.Value));
    }

    private long Bucket(DateTimeOffset t)
    {
        var ns = (now - t).Ticks * 100;
        return ns > 0 ? (long)Math.Log2(ns) : -1;
    }

    private static int PhaseOrdinal(string? phase) => phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
}
