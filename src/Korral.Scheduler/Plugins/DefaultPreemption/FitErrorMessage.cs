using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's FitError text: <c>0/N nodes are available: 2 A, 1 B.</c> — every reason counted over the nodes, nodes
/// absent from the map counted with its absent-nodes status, entries "count reason" sorted as strings (byte order, as
/// Go's sort.Strings, so "10 x" comes before "2 y").
/// </summary>
internal static class FitErrorMessage
{
    public static string Format(int numAllNodes, NodeToStatus statuses)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, status) in statuses.Entries)
        {
            foreach (var reason in status.Reasons)
            {
                counts[reason] = counts.GetValueOrDefault(reason) + 1;
            }
        }

        var absent = numAllNodes - statuses.Count;
        if (absent > 0)
        {
            foreach (var reason in statuses.AbsentNodesStatus.Reasons)
            {
                counts[reason] = counts.GetValueOrDefault(reason) + absent;
            }
        }

        var message = $"0/{numAllNodes} nodes are available:";
        if (counts.Count == 0)
        {
            return message;
        }

        var histogram = counts.Select(kv => $"{kv.Value} {kv.Key}").Order(StringComparer.Ordinal);
        return $"{message} {string.Join(", ", histogram)}.";
    }
}
