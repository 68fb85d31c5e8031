using Korral.Api.Models.CoreV1;
using Korral.Api.Selectors;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// A pod's <c>spec.nodeSelector</c> and required node affinity compiled once per cycle (upstream's
/// GetRequiredNodeAffinity): a node matches when it has every nodeSelector label and one of the node selector terms
/// matches. A term that does not parse, or that is empty, matches no node (parse errors are not reported here, as
/// upstream ignores them for spreading).
/// </summary>
internal sealed class RequiredNodeAffinity
{
    private static readonly RequiredNodeAffinity Everything = new(null, null);

    private readonly KeyValuePair<string, string>[]? _nodeSelector;

    // Null: no required node affinity. Each term: label requirements and metadata.name requirements (null entry: the term
    // does not parse or is empty and matches nothing).
    private readonly Term?[]? _terms;

    private RequiredNodeAffinity(KeyValuePair<string, string>[]? nodeSelector, Term?[]? terms)
    {
        _nodeSelector = nodeSelector;
        _terms = terms;
    }

    public static RequiredNodeAffinity Of(PodInfo pod)
    {
        var spec = pod.Pod.Spec;
        var selector = spec?.NodeSelector is { Count: > 0 } s ? s.ToArray() : null;
        var required = spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (selector is null && required is null)
        {
            return Everything;
        }

        var terms = required is null ? null : (required.NodeSelectorTerms ?? []).Select(Compile).ToArray();
        return new RequiredNodeAffinity(selector, terms);
    }

    public bool Matches(NodeInfo node)
    {
        if (_nodeSelector is not null)
        {
            foreach (var (key, value) in _nodeSelector)
            {
                if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
        }

        if (_terms is null)
        {
            return true;
        }

        foreach (var term in _terms)
        {
            if (term is not null && term.Matches(node))
            {
                return true;
            }
        }

        return false;
    }

    private static Term? Compile(NodeSelectorTerm term)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return null;
        }

        var labels = new LabelRequirement[expressions.Count];
        for (var i = 0; i < expressions.Count; i++)
        {
            var e = expressions[i];
            if (OperatorOf(e.Operator) is not { } op || !LabelRequirement.TryCreate(e.Key ?? "", op, e.Values?.ToArray(), out var requirement, out _))
            {
                return null;
            }

            labels[i] = requirement!;
        }

        var names = new (bool In, string Name)[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            // Only metadata.name is a node field selector key, with In or NotIn and exactly one value.
            var f = fields[i];
            if (f.Key != "metadata.name" || f.Operator is not ("In" or "NotIn") || f.Values is not { Count: 1 })
            {
                return null;
            }

            names[i] = (f.Operator == "In", f.Values[0]);
        }

        return new Term(labels, names);
    }

    private static LabelSelectorOperator? OperatorOf(string? op) => op switch
    {
        "In" => LabelSelectorOperator.In,
        "NotIn" => LabelSelectorOperator.NotIn,
        "Exists" => LabelSelectorOperator.Exists,
        "DoesNotExist" => LabelSelectorOperator.DoesNotExist,
        "Gt" => LabelSelectorOperator.GreaterThan,
        "Lt" => LabelSelectorOperator.LessThan,
        _ => null,
    };

    private sealed class Term(LabelRequirement[] labels, (bool In, string Name)[] names)
    {
        public bool Matches(NodeInfo node)
        {
            foreach (var requirement in labels)
            {
                if (!requirement.Matches(node.Labels))
                {
                    return false;
                }
            }

            foreach (var (isIn, name) in names)
            {
                if ((node.Name == name) != isIn)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
