using System.Globalization;
using System.Text;

namespace Korral.Api.Selectors;

/// <summary>
/// A field selector (<c>metadata.name=web,status.phase!=Running</c>): an AND of equality terms over the selectable
/// fields of a kind. Parsing follows upstream: terms split on unescaped commas and sorted, the first <c>!=</c>,
/// <c>==</c> or <c>=</c> splits a term, values may escape <c>\ , =</c> with a backslash, blanks are not trimmed.
/// Which fields exist, and their values, is <see cref="FieldSelectorFields"/>' business.
/// </summary>
public sealed class FieldSelector
{
    private static readonly string[] Operators = ["!=", "==", "="];

    private readonly FieldRequirement[] requirements;

    private FieldSelector(FieldRequirement[] requirements) => this.requirements = requirements;

    /// <summary>Matches everything (an empty query string).</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>True when nothing is restricted.</summary>
    public bool Empty => requirements.Length == 0;

    /// <summary>The terms, in upstream's order (sorted by their raw text).</summary>
    public IReadOnlyList<FieldRequirement> Requirements => requirements;

    /// <summary>Parses; throws <see cref="SelectorParseException"/> with upstream's message.</summary>
    public static FieldSelector Parse(string? text) =>
        TryParse(text, out var selector, out var error) ? selector : throw new SelectorParseException(error!);

    /// <summary>
    /// Parses the query syntax. Errors are upstream's texts: <c>invalid selector: 'a'; can't understand 'a'</c>,
    /// <c>invalid field selector: invalid escape sequence: \x</c>, <c>invalid field selector: unescaped character in value: 61</c>
    /// (the character code, as upstream prints a rune with %v).
    /// </summary>
    public static bool TryParse(string? text, out FieldSelector selector, out string? error)
    {
        selector = Everything;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parts = SplitTerms(text);
        parts.Sort(StringComparer.Ordinal);
        var list = new List<FieldRequirement>(parts.Count);
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (!TrySplitTerm(part, out var field, out var op, out var rawValue))
            {
                error = $"invalid selector: '{text}'; can't understand '{part}'";
                return false;
            }

            if (!TryUnescapeValue(rawValue, out var value, out error))
            {
                return false;
            }

            list.Add(new FieldRequirement(field, op == "!=", value));
        }

        selector = list.Count == 0 ? Everything : new FieldSelector([.. list]);
        return true;
    }

    /// <summary>A selector requiring exactly these field values (upstream's <c>SelectorFromSet</c>).</summary>
    public static FieldSelector FromSet(IReadOnlyDictionary<string, string>? set)
    {
        if (set is null || set.Count == 0)
        {
            return Everything;
        }

        return new FieldSelector([.. set.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new FieldRequirement(p.Key, false, p.Value))]);
    }

    /// <summary>Builds a selector from terms (e.g. after renaming fields).</summary>
    public static FieldSelector FromRequirements(IEnumerable<FieldRequirement> requirements)
    {
        var array = requirements.ToArray();
        return array.Length == 0 ? Everything : new FieldSelector(array);
    }

    /// <summary>Whether every term holds; <paramref name="fieldValue"/> returns a field's value (null counts as empty).</summary>
    public bool Matches(Func<string, string?> fieldValue)
    {
        foreach (var r in requirements)
        {
            if (!r.Matches(fieldValue(r.Field)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every term holds against a set of field values (absent fields count as empty).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var r in requirements)
        {
            if (!r.Matches(fields.TryGetValue(r.Field, out var v) ? v : null))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value an <c>=</c> term pins <paramref name="field"/> to (e.g. <c>metadata.name</c> for a single-object watch), or null.</summary>
    public string? RequiresExactMatch(string field)
    {
        foreach (var r in requirements)
        {
            if (!r.NotEquals && r.Field == field)
            {
                return r.Value;
            }
        }

        return null;
    }

    /// <summary>Terms joined by commas, values escaped.</summary>
    public override string ToString() => string.Join(",", requirements.Select(r => r.ToString()));

    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> with a backslash so any literal can be a field selector value.</summary>
    public static string EscapeValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '=')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Reverses <see cref="EscapeValue"/>; unescaped <c>,</c>/<c>=</c> and unknown escapes are errors.</summary>
    public static bool TryUnescapeValue(string raw, out string value, out string? error)
    {
        error = null;
        if (raw.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            value = raw;
            return true;
        }

        value = "";
        var sb = new StringBuilder(raw.Length);
        var inSlash = false;
        foreach (var rune in raw.EnumerateRunes())
        {
            if (inSlash)
            {
                if (rune.Value is '\\' or ',' or '=')
                {
                    sb.Append((char)rune.Value);
                    inSlash = false;
                    continue;
                }

                error = "invalid field selector: invalid escape sequence: \\" + rune;
                return false;
            }

            switch (rune.Value)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',' or '=':
                    error = "invalid field selector: unescaped character in value: " + rune.Value.ToString(CultureInfo.InvariantCulture);
                    return false;
                default:
                    sb.Append(rune.ToString());
                    break;
            }
        }

        if (inSlash)
        {
            error = "invalid field selector: invalid escape sequence: \\";
            return false;
        }

        value = sb.ToString();
        return true;
    }

    // Commas preceded by a backslash are data, not separators; the backslash stays for the unescape step.
    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>(1);
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    private static bool TrySplitTerm(string term, out string field, out string op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in Operators)
            {
                if (term.AsSpan(i).StartsWith(candidate, StringComparison.Ordinal))
                {
                    field = term[..i];
                    op = candidate;
                    value = term[(i + candidate.Length)..];
                    return true;
                }
            }
        }

        field = op = value = "";
        return false;
    }
}
