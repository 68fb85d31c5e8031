using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Korral.Api.Selectors;

/// <summary>
/// One condition of a label selector, e.g. <c>tier in (web,api)</c>. Immutable; build it with
/// <see cref="TryCreate"/> (which applies upstream's validation) or get it from a parsed selector.
/// </summary>
public sealed class LabelRequirement
{
    private readonly string[] values;

    private LabelRequirement(string key, LabelSelectorOperator op, string[] values)
    {
        Key = key;
        Operator = op;
        this.values = values;
    }

    public string Key { get; }

    public LabelSelectorOperator Operator { get; }

    /// <summary>The values as given (the parser gives them sorted and distinct).</summary>
    public IReadOnlyList<string> Values => values;

    /// <summary>
    /// Validates and builds a requirement as upstream's <c>NewRequirement</c> does: the key must be a qualified name,
    /// In/NotIn need values, Equals/NotEquals exactly one, Exists/DoesNotExist none, Gt/Lt one integer; every value must
    /// be a valid label value. <paramref name="values"/> null stands for a nil slice in error messages.
    /// </summary>
    public static bool TryCreate(string key, LabelSelectorOperator op, IReadOnlyList<string>? values, out LabelRequirement? requirement, out string? error) =>
        TryCreate(key, op, values, path: null, out requirement, out error);

    internal static LabelRequirement CreateUnchecked(string key, LabelSelectorOperator op, string[] values) => new(key, op, values);

    internal static bool TryCreate(string key, LabelSelectorOperator op, IReadOnlyList<string>? values, string? path, out LabelRequirement? requirement, out string? error)
    {
        var errors = new List<string>();
        var keyPath = path is null ? "key" : path + ".key";
        var valuesPath = path is null ? "values" : path + ".values";
        var keyErrors = LabelValidation.QualifiedNameErrors(key);
        if (keyErrors.Count != 0)
        {
            errors.Add(GoFormat.InvalidValue(keyPath, GoFormat.Quote(key), string.Join("; ", keyErrors)));
        }

        var count = values?.Count ?? 0;
        switch (op)
        {
            case LabelSelectorOperator.In or LabelSelectorOperator.NotIn:
                if (count == 0)
                {
                    errors.Add(GoFormat.InvalidValue(valuesPath, GoFormat.StringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
                }

                break;
            case LabelSelectorOperator.Equals or LabelSelectorOperator.DoubleEquals or LabelSelectorOperator.NotEquals:
                if (count != 1)
                {
                    errors.Add(GoFormat.InvalidValue(valuesPath, GoFormat.StringSlice(values), "exact-match compatibility requires one single value"));
                }

                break;
            case LabelSelectorOperator.Exists or LabelSelectorOperator.DoesNotExist:
                if (count != 0)
                {
                    errors.Add(GoFormat.InvalidValue(valuesPath, GoFormat.StringSlice(values), "values set must be empty for exists and does not exist"));
                }

                break;
            case LabelSelectorOperator.GreaterThan or LabelSelectorOperator.LessThan:
                if (count != 1)
                {
                    errors.Add(GoFormat.InvalidValue(valuesPath, GoFormat.StringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
                }

                for (var i = 0; i < count; i++)
                {
                    if (!TryParseInt64(values![i], out _))
                    {
                        errors.Add(GoFormat.InvalidValue($"{valuesPath}[{i}]", GoFormat.Quote(values[i]), "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }

                break;
            default:
                errors.Add($"{(path is null ? "operator" : path + ".operator")}: Unsupported value: {GoFormat.Quote(op.ToString())}");
                break;
        }

        for (var i = 0; i < count; i++)
        {
            var valueErrors = LabelValidation.LabelValueErrors(values![i]);
            if (valueErrors.Count != 0)
            {
                errors.Add(GoFormat.InvalidValue($"{valuesPath}[{i}][{key}]", GoFormat.Quote(values[i]), string.Join("; ", valueErrors)));
            }
        }

        if (errors.Count != 0)
        {
            requirement = null;
            error = GoFormat.Aggregate(errors);
            return false;
        }

        requirement = new LabelRequirement(key, op, count == 0 ? [] : [.. values!]);
        error = null;
        return true;
    }

    /// <summary>Whether a set of labels (null meaning none) satisfies this requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels) => Matches(new DictionaryLabels(labels));

    /// <summary>Whether a <c>metadata.labels</c> JSON object (null meaning none) satisfies this requirement.</summary>
    public bool Matches(JsonObject? labels) => Matches(new JsonLabels(labels));

    internal bool Matches<TLabels>(TLabels labels)
        where TLabels : struct, ILabelLookup
    {
        switch (Operator)
        {
            case LabelSelectorOperator.In or LabelSelectorOperator.Equals or LabelSelectorOperator.DoubleEquals:
                return labels.TryGet(Key, out var value) && HasValue(value);
            case LabelSelectorOperator.NotIn or LabelSelectorOperator.NotEquals:
                return !labels.TryGet(Key, out var other) || !HasValue(other);
            case LabelSelectorOperator.Exists:
                return labels.TryGet(Key, out _);
            case LabelSelectorOperator.DoesNotExist:
                return !labels.TryGet(Key, out _);
            case LabelSelectorOperator.GreaterThan or LabelSelectorOperator.LessThan:
                if (!labels.TryGet(Key, out var text) || !TryParseInt64(text, out var actual) || values.Length != 1 || !TryParseInt64(values[0], out var bound))
                {
                    return false;
                }

                return Operator == LabelSelectorOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The canonical text: <c>!k</c>, <c>k</c>, <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k&gt;v</c>, <c>k&lt;v</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Key.Length + 8 + (values.Length * 6));
        AppendTo(sb);
        return sb.ToString();
    }

    internal void AppendTo(StringBuilder sb)
    {
        if (Operator == LabelSelectorOperator.DoesNotExist)
        {
            sb.Append('!');
        }

        sb.Append(Key);
        switch (Operator)
        {
            case LabelSelectorOperator.Equals: sb.Append('='); break;
            case LabelSelectorOperator.DoubleEquals: sb.Append("=="); break;
            case LabelSelectorOperator.NotEquals: sb.Append("!="); break;
            case LabelSelectorOperator.In: sb.Append(" in "); break;
            case LabelSelectorOperator.NotIn: sb.Append(" notin "); break;
            case LabelSelectorOperator.GreaterThan: sb.Append('>'); break;
            case LabelSelectorOperator.LessThan: sb.Append('<'); break;
            default: return;
        }

        var set = Operator is LabelSelectorOperator.In or LabelSelectorOperator.NotIn;
        if (set)
        {
            sb.Append('(');
        }

        if (values.Length == 1)
        {
            sb.Append(values[0]);
        }
        else
        {
            var sorted = values;
            if (!IsSorted(values))
            {
                sorted = [.. values];
                Array.Sort(sorted, StringComparer.Ordinal);
            }

            sb.AppendJoin(',', sorted);
        }

        if (set)
        {
            sb.Append(')');
        }
    }

    private bool HasValue(string value)
    {
        foreach (var v in values)
        {
            if (string.Equals(v, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSorted(string[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (string.CompareOrdinal(values[i - 1], values[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, nothing else.</summary>
    internal static bool TryParseInt64(string s, out long value) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
