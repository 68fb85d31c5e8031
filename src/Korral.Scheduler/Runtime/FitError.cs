using System.Globalization;
using System.Text;

namespace Korral.Scheduler.Runtime;

/// <summary>
/// A pod that fits no node, and upstream's message for it: <c>0/3 nodes are available: 1 node(s) had untolerated taint
/// {…}, 2 Insufficient cpu. preemption: …</c> — a histogram of every node's reasons, sorted as text, then what PostFilter
/// said. When a PreFilter rejected the pod, its message replaces the histogram (every node carries the same status).
/// </summary>
public sealed class FitError(string podKey, int numAllNodes, Diagnosis diagnosis) : Exception
{
    public string PodKey { get; } = podKey;

    public int NumAllNodes { get; } = numAllNodes;

    public Diagnosis Diagnosis { get; } = diagnosis;

    public override string Message => Format();

    private string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"0/{NumAllNodes} nodes are available:");
        if (!string.IsNullOrEmpty(Diagnosis.PreFilterMessage))
        {
            text.Append(' ').Append(Diagnosis.PreFilterMessage).Append('.');
        }
        else
        {
            var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
            var listed = 0;
            foreach (var (_, status) in Diagnosis.NodeToStatus.Entries)
            {
                listed++;
                foreach (var reason in status.Reasons)
                {
                    histogram[reason] = histogram.GetValueOrDefault(reason) + 1;
                }
            }

            // Nodes no plugin looked at (a PreFilter narrowed the candidates) count with the absent-node status.
            var absent = NumAllNodes - listed;
            if (absent > 0)
            {
                foreach (var reason in Diagnosis.NodeToStatus.AbsentNodesStatus.Reasons)
                {
                    histogram[reason] = histogram.GetValueOrDefault(reason) + absent;
                }
            }

            var entries = histogram.Select(kv => $"{kv.Value} {kv.Key}").Order(StringComparer.Ordinal).ToList();
            if (entries.Count > 0)
            {
                text.Append(' ').Append(string.Join(", ", entries)).Append('.');
            }
        }

        if (!string.IsNullOrEmpty(Diagnosis.PostFilterMessage))
        {
            text.Append(' ').Append(Diagnosis.PostFilterMessage.TrimEnd('.')).Append('.');
        }

        return text.ToString();
    }
}
