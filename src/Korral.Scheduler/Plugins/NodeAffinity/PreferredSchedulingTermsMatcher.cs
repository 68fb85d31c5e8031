using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// Compiled <c>preferredDuringSchedulingIgnoredDuringExecution</c> terms: a node scores the sum of the weights of the
/// terms it matches. Terms with weight 0 or no requirements are dropped; unlike required terms, any parse error fails the
/// whole list (upstream's NewPreferredSchedulingTerms).
/// </summary>
public sealed class PreferredSchedulingTermsMatcher
{
    private readonly NodeSelectorTermMatcher[] _terms;
    private readonly int[] _weights;

    private PreferredSchedulingTermsMatcher(NodeSelectorTermMatcher[] terms, int[] weights)
    {
        _terms = terms;
        _weights = weights;
    }

    public int Count => _terms.Length;

    public static bool TryCompile(IEnumerable<PreferredSchedulingTerm> terms, out PreferredSchedulingTermsMatcher? matcher, out string? error)
    {
        var compiled = new List<NodeSelectorTermMatcher>();
        var weights = new List<int>();
        var errors = new List<string>();
        foreach (var term in terms)
        {
            if ((term.Weight ?? 0) == 0 || NodeSelectorTermMatcher.IsEmpty(term.Preference))
            {
                continue;
            }

            var t = NodeSelectorTermMatcher.Compile(term.Preference!);
            if (t.ParseError is { } e)
            {
                errors.Add(e);
                continue;
            }

            compiled.Add(t);
            weights.Add(term.Weight!.Value);
        }

        error = GoErrors.Aggregate(errors);
        matcher = error is null ? new PreferredSchedulingTermsMatcher([.. compiled], [.. weights]) : null;
        return error is null;
    }

    public long Score(NodeInfo node)
    {
        long score = 0;
        for (var i = 0; i < _terms.Length; i++)
        {
            if (_terms[i].Matches(node.Labels, node.Name))
            {
                score += _weights[i];
            }
        }

        return score;
    }
}
