using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Selectors;

/// <summary>
/// A label selector: an AND of <see cref="LabelRequirement"/>s kept sorted by key, as upstream keeps them, so
/// <see cref="ToString"/> gives the canonical text (<c>app=web,tier in (a,b)</c>) that kubectl shows and that
/// Scale status <c>selector</c> carries. Immutable and safe to share between threads.
/// </summary>
public sealed class LabelSelector
{
    private readonly LabelRequirement[] requirements;
    private readonly bool nothing;

    private LabelSelector(LabelRequirement[] requirements, bool nothing)
    {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    /// <summary>Matches every label set (an empty query string or an empty metav1.LabelSelector).</summary>
    public static LabelSelector Everything { get; } = new([], nothing: false);

    /// <summary>Matches no label set (a null metav1.LabelSelector, e.g. a PodDisruptionBudget without selector).</summary>
    public static LabelSelector Nothing { get; } = new([], nothing: true);

    /// <summary>True when the selector does not restrict anything (<see cref="Everything"/>).</summary>
    public bool Empty => !nothing && requirements.Length == 0;

    /// <summary>True only for <see cref="Nothing"/>.</summary>
    public bool MatchesNothing => nothing;

    /// <summary>The requirements, sorted by key (stable for equal keys).</summary>
    public IReadOnlyList<LabelRequirement> Requirements => requirements;

    /// <summary>Parses the query-string syntax; throws <see cref="SelectorParseException"/> with upstream's message.</summary>
    public static LabelSelector Parse(string? text) =>
        TryParse(text, out var selector, out var error) ? selector : throw new SelectorParseException(error!);

    /// <summary>
    /// Parses the query-string syntax (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>,
    /// <c>a</c>, <c>!a</c>, <c>a&gt;1</c>, <c>a&lt;1</c>; commas mean AND). Null or blank means <see cref="Everything"/>.
    /// On failure <paramref name="error"/> is upstream's text, e.g. <c>unable to parse requirement: ...</c>, for a 400.
    /// </summary>
    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        if (string.IsNullOrEmpty(text))
        {
            selector = Everything;
            error = null;
            return true;
        }

        if (!LabelSelectorParser.TryParse(text, out var list, out error))
        {
            selector = Everything;
            return false;
        }

        selector = list.Count == 0 ? Everything : new LabelSelector(SortByKey(list), nothing: false);
        return true;
    }

    /// <summary>Builds a selector from a metav1.LabelSelector JSON object; throws <see cref="SelectorParseException"/>.</summary>
    public static LabelSelector FromLabelSelector(JsonNode? labelSelector) =>
        TryFromLabelSelector(labelSelector, out var selector, out var error) ? selector : throw new SelectorParseException(error!);

    /// <summary>Builds a selector from a typed metav1.LabelSelector; throws <see cref="SelectorParseException"/>.</summary>
    public static LabelSelector FromLabelSelector(Models.MetaV1.LabelSelector? labelSelector) =>
        TryFromLabelSelector(labelSelector, out var selector, out var error) ? selector : throw new SelectorParseException(error!);

    /// <summary>
    /// Converts a metav1.LabelSelector (<c>matchLabels</c> + <c>matchExpressions</c> with In/NotIn/Exists/DoesNotExist)
    /// as upstream's <c>LabelSelectorAsSelector</c> does: null (or JSON null) selects <see cref="Nothing"/>, an empty
    /// selector <see cref="Everything"/>. Errors carry upstream's text, e.g.
    /// <c>values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty</c>.
    /// </summary>
    public static bool TryFromLabelSelector(JsonNode? labelSelector, out LabelSelector selector, out string? error)
    {
        selector = Nothing;
        error = null;
        if (labelSelector is null || labelSelector.GetValueKind() == JsonValueKind.Null)
        {
            return true;
        }

        if (labelSelector is not JsonObject obj)
        {
            error = "invalid label selector: expected an object";
            return false;
        }

        List<KeyValuePair<string, string>>? matchLabels = null;
        if (obj["matchLabels"] is JsonObject labels)
        {
            matchLabels = new List<KeyValuePair<string, string>>(labels.Count);
            foreach (var (key, node) in labels)
            {
                if (!TryGetString(node, out var value))
                {
                    error = $"invalid label selector: matchLabels[{key}] must be a string";
                    return false;
                }

                matchLabels.Add(new(key, value));
            }
        }

        List<(string Key, string Operator, List<string>? Values)>? expressions = null;
        if (obj["matchExpressions"] is JsonArray array)
        {
            expressions = new(array.Count);
            foreach (var item in array)
            {
                if (item is not JsonObject expression)
                {
                    error = "invalid label selector: matchExpressions items must be objects";
                    return false;
                }

                TryGetString(expression["key"], out var key);
                TryGetString(expression["operator"], out var op);
                List<string>? values = null;
                if (expression["values"] is JsonArray valueArray && valueArray.Count != 0)
                {
                    values = new List<string>(valueArray.Count);
                    foreach (var v in valueArray)
                    {
                        TryGetString(v, out var text);
                        values.Add(text);
                    }
                }

                expressions.Add((key, op, values));
            }
        }

        return TryBuild(matchLabels, expressions, out selector, out error);
    }

    /// <summary>The typed-model form of <see cref="TryFromLabelSelector(JsonNode?, out LabelSelector, out string?)"/>.</summary>
    public static bool TryFromLabelSelector(Models.MetaV1.LabelSelector? labelSelector, out LabelSelector selector, out string? error)
    {
        selector = Nothing;
        error = null;
        if (labelSelector is null)
        {
            return true;
        }

        var matchLabels = labelSelector.MatchLabels?.ToList();
        var expressions = labelSelector.MatchExpressions?
            .Select(e => (e.Key ?? "", e.Operator ?? "", e.Values is { Count: > 0 } v ? v.ToList() : null))
            .ToList();
        return TryBuild(matchLabels, expressions, out selector, out error);
    }

    private static bool TryBuild(
        List<KeyValuePair<string, string>>? matchLabels,
        List<(string Key, string Operator, List<string>? Values)>? matchExpressions,
        out LabelSelector selector,
        out string? error)
    {
        selector = Nothing;
        error = null;
        var total = (matchLabels?.Count ?? 0) + (matchExpressions?.Count ?? 0);
        if (total == 0)
        {
            selector = Everything;
            return true;
        }

        var list = new List<LabelRequirement>(total);
        if (matchLabels is not null)
        {
            // Upstream walks a Go map (random order); walking keys in order makes the first reported error stable.
            matchLabels.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            foreach (var (key, value) in matchLabels)
            {
                if (!LabelRequirement.TryCreate(key, LabelSelectorOperator.Equals, [value], out var requirement, out error))
                {
                    return false;
                }

                list.Add(requirement!);
            }
        }

        foreach (var (key, opText, values) in matchExpressions ?? [])
        {
            LabelSelectorOperator op;
            switch (opText)
            {
                case "In": op = LabelSelectorOperator.In; break;
                case "NotIn": op = LabelSelectorOperator.NotIn; break;
                case "Exists": op = LabelSelectorOperator.Exists; break;
                case "DoesNotExist": op = LabelSelectorOperator.DoesNotExist; break;
                default:
                    error = $"{GoFormat.Quote(opText)} is not a valid label selector operator";
                    return false;
            }

            if (!LabelRequirement.TryCreate(key, op, values, out var requirement, out error))
            {
                return false;
            }

            list.Add(requirement!);
        }

        selector = new LabelSelector(SortByKey(list), nothing: false);
        return true;
    }

    /// <summary>
    /// A selector requiring exactly these labels (e.g. a Service or ReplicationController <c>spec.selector</c> map),
    /// without validation, as upstream's <c>SelectorFromSet</c>. Null or empty gives <see cref="Everything"/>.
    /// </summary>
    public static LabelSelector FromSet(IReadOnlyDictionary<string, string>? set)
    {
        if (set is null || set.Count == 0)
        {
            return Everything;
        }

        var list = new List<LabelRequirement>(set.Count);
        foreach (var (key, value) in set)
        {
            list.Add(LabelRequirement.CreateUnchecked(key, LabelSelectorOperator.Equals, [value]));
        }

        return new LabelSelector(SortByKey(list), nothing: false);
    }

    /// <summary><see cref="FromSet(IReadOnlyDictionary{string, string}?)"/> for a JSON map such as <c>spec.selector</c> of a Service.</summary>
    public static LabelSelector FromSet(JsonObject? set)
    {
        if (set is null || set.Count == 0)
        {
            return Everything;
        }

        var list = new List<LabelRequirement>(set.Count);
        foreach (var (key, node) in set)
        {
            TryGetString(node, out var value);
            list.Add(LabelRequirement.CreateUnchecked(key, LabelSelectorOperator.Equals, [value]));
        }

        return new LabelSelector(SortByKey(list), nothing: false);
    }

    /// <summary>A new selector with the extra requirements (kept sorted by key).</summary>
    public LabelSelector Add(params IEnumerable<LabelRequirement> extra)
    {
        if (nothing)
        {
            return this;
        }

        var list = new List<LabelRequirement>(requirements);
        list.AddRange(extra);
        return new LabelSelector(SortByKey(list), nothing: false);
    }

    /// <summary>Whether the labels (null meaning none) satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels) => Matches(new DictionaryLabels(labels));

    /// <summary>Whether a <c>metadata.labels</c> JSON object (null meaning none) satisfies every requirement.</summary>
    public bool Matches(JsonObject? labels) => Matches(new JsonLabels(labels));

    /// <summary>Whether an object's <c>metadata.labels</c> satisfy every requirement.</summary>
    public bool MatchesObject(JsonObject? obj) =>
        Matches(new JsonLabels((obj?["metadata"] as JsonObject)?["labels"] as JsonObject));

    /// <summary>
    /// If the selector pins <paramref name="key"/> to one value (<c>k=v</c>, <c>k==v</c> or <c>k in (v)</c> as the
    /// first requirement on that key), that value; lets a caller use an index instead of a scan.
    /// </summary>
    public string? RequiresExactMatch(string key)
    {
        foreach (var r in requirements)
        {
            if (r.Key == key)
            {
                return r.Operator is LabelSelectorOperator.Equals or LabelSelectorOperator.DoubleEquals or LabelSelectorOperator.In
                    && r.Values.Count == 1
                    ? r.Values[0]
                    : null;
            }
        }

        return null;
    }

    /// <summary>The canonical text: requirements joined by commas, sorted by key; empty for Everything and Nothing.</summary>
    public override string ToString()
    {
        if (requirements.Length == 0)
        {
            return "";
        }

        if (requirements.Length == 1)
        {
            return requirements[0].ToString();
        }

        var sb = new StringBuilder();
        for (var i = 0; i < requirements.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            requirements[i].AppendTo(sb);
        }

        return sb.ToString();
    }

    internal bool Matches<TLabels>(TLabels labels)
        where TLabels : struct, ILabelLookup
    {
        if (nothing)
        {
            return false;
        }

        foreach (var r in requirements)
        {
            if (!r.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    private static LabelRequirement[] SortByKey(List<LabelRequirement> list)
    {
        var array = list.ToArray();
        if (array.Length > 1)
        {
            // A stable sort: equal keys keep the order they were written in.
            var keys = new (string Key, int Index)[array.Length];
            for (var i = 0; i < array.Length; i++)
            {
                keys[i] = (array[i].Key, i);
            }

            Array.Sort(keys, array, Comparer<(string Key, int Index)>.Create(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.Key, b.Key);
                return c != 0 ? c : a.Index.CompareTo(b.Index);
            }));
        }

        return array;
    }

    private static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        value = "";
        return node is null;
    }
}
