using Korral.Api.Models.CoreV1;
using Korral.Api.Selectors;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Where a volume can be used: a PersistentVolume's <c>spec.nodeAffinity.required</c> and a StorageClass's
/// <c>allowedTopologies</c>, matched against a node's labels as upstream does (nodeaffinity's lazy-error selector: a term
/// that does not parse matches nothing).
/// </summary>
internal static class VolumeTopology
{
    private const string NodeNameField = "metadata.name";

    /// <summary>
    /// Upstream's CheckNodeAffinity. It matches against a node made of the labels only, so <c>matchFields</c> on
    /// <c>metadata.name</c> sees an empty name; kept that way so Korral accepts the same volumes as upstream.
    /// </summary>
    public static bool VolumeFitsNode(PersistentVolume volume, IReadOnlyDictionary<string, string> nodeLabels)
    {
        var required = volume.Spec?.NodeAffinity?.Required;
        return required is null || MatchNodeSelectorTerms(required, nodeLabels, nodeName: "");
    }

    /// <summary>Terms are ORed; a term's requirements are ANDed; an empty or invalid term matches nothing.</summary>
    public static bool MatchNodeSelectorTerms(NodeSelector selector, IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        foreach (var term in selector.NodeSelectorTerms ?? [])
        {
            if (TermMatches(term, labels, nodeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Upstream's MatchTopologySelectorTerms: no terms allow every node; otherwise some term's label expressions must all
    /// hold (each label present with one of the values); a term without expressions allows nothing.
    /// </summary>
    public static bool MatchTopologySelectorTerms(IList<TopologySelectorTerm>? terms, IReadOnlyDictionary<string, string> labels)
    {
        if (terms is null || terms.Count == 0)
        {
            return true;
        }

        foreach (var term in terms)
        {
            var expressions = term.MatchLabelExpressions;
            if (expressions is null || expressions.Count == 0)
            {
                continue;
            }

            var all = true;
            foreach (var expression in expressions)
            {
                if (!LabelRequirement.TryCreate(expression.Key ?? "", LabelSelectorOperator.In, expression.Values?.ToList(), out var requirement, out _)
                    || !requirement!.Matches(labels))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TermMatches(NodeSelectorTerm term, IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        foreach (var expression in expressions)
        {
            if (!TryOperator(expression.Operator, out var op)
                || !LabelRequirement.TryCreate(expression.Key ?? "", op, expression.Values?.ToList(), out var requirement, out _)
                || !requirement!.Matches(labels))
            {
                return false;
            }
        }

        foreach (var field in fields)
        {
            // Only metadata.name with In/NotIn and exactly one value is a valid field requirement.
            if (field.Key != NodeNameField || field.Values is not { Count: 1 } values)
            {
                return false;
            }

            var matches = field.Operator switch
            {
                "In" => nodeName == values[0],
                "NotIn" => nodeName != values[0],
                _ => false,
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryOperator(string? op, out LabelSelectorOperator result)
    {
        (var known, result) = op switch
        {
            "In" => (true, LabelSelectorOperator.In),
            "NotIn" => (true, LabelSelectorOperator.NotIn),
            "Exists" => (true, LabelSelectorOperator.Exists),
            "DoesNotExist" => (true, LabelSelectorOperator.DoesNotExist),
            "Gt" => (true, LabelSelectorOperator.GreaterThan),
            "Lt" => (true, LabelSelectorOperator.LessThan),
            _ => (false, default),
        };
        return known;
    }
}
