using System.Runtime.InteropServices;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// Score per topology domain (topology key → value → sum of weights), built in PreScore and only read by Score; a node's
/// score is the sum over the keys it has a label for.
/// </summary>
internal sealed class PreScoreState
{
    private readonly Dictionary<string, Dictionary<string, long>> _scores = new(StringComparer.Ordinal);

    public bool IsEmpty => _scores.Count == 0;

    public void Add(string key, string value, long weight)
    {
        if (!_scores.TryGetValue(key, out var values))
        {
            values = new Dictionary<string, long>(StringComparer.Ordinal);
            _scores[key] = values;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(values, value, out _) += weight;
    }

    public long ScoreOf(IReadOnlyDictionary<string, string> nodeLabels)
    {
        long score = 0;
        foreach (var (key, values) in _scores)
        {
            if (nodeLabels.TryGetValue(key, out var value))
            {
                score += values.GetValueOrDefault(value);
            }
        }

        return score;
    }
}
