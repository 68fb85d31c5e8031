using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// A compiled <c>NodeSelector</c>: its terms are ORed; empty terms are dropped (they select nothing). Like upstream's
/// LazyErrorNodeSelector, a term that does not parse only fails itself: the node still matches through another term,
/// and the parse errors are reported only when no term matched (<see cref="Match"/>) or up front (<see cref="Errors"/>).
/// </summary>
public sealed class NodeSelectorMatcher
{
    private readonly NodeSelectorTermMatcher[] _terms;

    private NodeSelectorMatcher(NodeSelectorTermMatcher[] terms, IReadOnlyList<string> errors)
    {
        _terms = terms;
        Errors = errors;
    }

    /// <summary>The parse errors of every term, in order (upstream's NewNodeSelector fails with them).</summary>
    public IReadOnlyList<string> Errors { get; }

    public static NodeSelectorMatcher Compile(NodeSelector selector)
    {
        var terms = new List<NodeSelectorTermMatcher>();
        var errors = new List<string>();
        foreach (var term in selector.NodeSelectorTerms ?? [])
        {
            if (NodeSelectorTermMatcher.IsEmpty(term))
            {
                continue;
            }

            var compiled = NodeSelectorTermMatcher.Compile(term);
            terms.Add(compiled);
            if (compiled.ParseError is { } e)
            {
                errors.Add(e);
            }
        }

        return new NodeSelectorMatcher([.. terms], errors);
    }

    /// <summary>Whether any term matches the node.</summary>
    public bool Matches(NodeInfo node) => Matches(node.Labels, node.Name);

    public bool Matches(IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        for (var i = 0; i < _terms.Length; i++)
        {
            if (_terms[i].Matches(labels, nodeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any term matches; when none does, <paramref name="error"/> carries the terms' parse errors (if any).</summary>
    public bool Match(NodeInfo node, out string? error)
    {
        error = null;
        if (Matches(node))
        {
            return true;
        }

        error = GoErrors.Aggregate(Errors);
        return false;
    }
}
