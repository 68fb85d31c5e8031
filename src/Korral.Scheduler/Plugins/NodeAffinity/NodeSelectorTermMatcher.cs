using Korral.Api.Models.CoreV1;
using Korral.Api.Selectors;

namespace Korral.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// One compiled <c>NodeSelectorTerm</c>: its matchExpressions (label requirements, ANDed) and matchFields (only
/// <c>metadata.name</c> exists on nodes; In/NotIn with exactly one value), as upstream's component-helpers nodeaffinity
/// parses them. A term that fails to parse keeps its error and matches nothing. Immutable, shared by concurrent Filters.
/// </summary>
public sealed class NodeSelectorTermMatcher
{
    /// <summary>The one field a node selector term can match on.</summary>
    public const string NameField = "metadata.name";

    private readonly LabelRequirement[]? _labels;
    private readonly FieldRequirement[]? _fields;

    private NodeSelectorTermMatcher(LabelRequirement[]? labels, FieldRequirement[]? fields, string? parseError)
    {
        _labels = labels;
        _fields = fields;
        ParseError = parseError;
    }

    /// <summary>Why the term could not be compiled (upstream's text); null when it compiled.</summary>
    public string? ParseError { get; }

    /// <summary>A term with neither matchExpressions nor matchFields: it selects no node.</summary>
    public static bool IsEmpty(NodeSelectorTerm? term) => term is null || ((term.MatchExpressions?.Count ?? 0) == 0 && (term.MatchFields?.Count ?? 0) == 0);

    public static NodeSelectorTermMatcher Compile(NodeSelectorTerm term)
    {
        LabelRequirement[]? labels = null;
        if (term.MatchExpressions is { Count: > 0 } expressions)
        {
            labels = new LabelRequirement[expressions.Count];
            for (var i = 0; i < expressions.Count; i++)
            {
                var expr = expressions[i];
                if (!TryOperator(expr.Operator, out var op))
                {
                    return new NodeSelectorTermMatcher(null, null, $"\"{expr.Operator}\" is not a valid node selector operator");
                }

                if (!LabelRequirement.TryCreate(expr.Key ?? "", op, expr.Values is null ? null : [.. expr.Values], out var requirement, out var error))
                {
                    return new NodeSelectorTermMatcher(null, null, error);
                }

                labels[i] = requirement!;
            }
        }

        FieldRequirement[]? fields = null;
        if (term.MatchFields is { Count: > 0 } fieldExpressions)
        {
            fields = new FieldRequirement[fieldExpressions.Count];
            for (var i = 0; i < fieldExpressions.Count; i++)
            {
                var expr = fieldExpressions[i];
                if (expr.Operator is not ("In" or "NotIn"))
                {
                    return new NodeSelectorTermMatcher(null, null, $"\"{expr.Operator}\" is not a valid node field selector operator");
                }

                var count = expr.Values?.Count ?? 0;
                if (count != 1)
                {
                    return new NodeSelectorTermMatcher(null, null, $"unexpected number of value ({count}) for node field selector operator \"{expr.Operator}\"");
                }

                fields[i] = new FieldRequirement(expr.Key ?? "", expr.Operator == "NotIn", expr.Values![0]);
            }
        }

        return new NodeSelectorTermMatcher(labels, fields, null);
    }

    /// <summary>Whether a node with these labels and name satisfies every requirement of the term.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        if (ParseError is not null)
        {
            return false;
        }

        if (_labels is not null)
        {
            for (var i = 0; i < _labels.Length; i++)
            {
                if (!_labels[i].Matches(labels))
                {
                    return false;
                }
            }
        }

        // Upstream skips field requirements for a node without a name (its field set is empty).
        if (_fields is not null && nodeName.Length > 0)
        {
            for (var i = 0; i < _fields.Length; i++)
            {
                var field = _fields[i];
                if (!field.Matches(field.Field == NameField ? nodeName : null))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool TryOperator(string? op, out LabelSelectorOperator result)
    {
        (var ok, result) = op switch
        {
            "In" => (true, LabelSelectorOperator.In),
            "NotIn" => (true, LabelSelectorOperator.NotIn),
            "Exists" => (true, LabelSelectorOperator.Exists),
            "DoesNotExist" => (true, LabelSelectorOperator.DoesNotExist),
            "Gt" => (true, LabelSelectorOperator.GreaterThan),
            "Lt" => (true, LabelSelectorOperator.LessThan),
            _ => (false, LabelSelectorOperator.In),
        };
        return ok;
    }
}
