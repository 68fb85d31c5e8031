using System.Globalization;
using System.Text;

namespace Korral.Api.Selectors;

/// <summary>
/// Formats values the way upstream error messages print them (<c>%q</c> for strings, <c>%#v</c> for string slices,
/// <c>field.Invalid</c> bodies), so our messages are byte-for-byte what clients and tests expect.
/// </summary>
internal static class GoFormat
{
    /// <summary>A double-quoted string literal with Go escapes (strconv.Quote).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendQuoted(sb, value);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (rune.Value > 0x7f && !IsPrintable(rune))
                    {
                        sb.Append(rune.Value > 0xffff ? "\\U" : "\\u")
                          .Append(rune.Value.ToString(rune.Value > 0xffff ? "x8" : "x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary><c>%#v</c> of a []string: <c>[]string{"a", "b"}</c>, or <c>[]string(nil)</c> for a nil slice.</summary>
    public static string StringSlice(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return "[]string(nil)";
        }

        var sb = new StringBuilder("[]string{");
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            AppendQuoted(sb, values[i]);
        }

        return sb.Append('}').ToString();
    }

    /// <summary>The text of a <c>field.Invalid(path, value, detail)</c> error: <c>path: Invalid value: value: detail</c>.</summary>
    public static string InvalidValue(string path, string formattedValue, string detail) =>
        detail.Length == 0 ? $"{path}: Invalid value: {formattedValue}" : $"{path}: Invalid value: {formattedValue}: {detail}";

    /// <summary>How upstream aggregates several errors: one stays as it is, several become <c>[a, b]</c> (duplicates dropped).</summary>
    public static string Aggregate(IReadOnlyList<string> errors)
    {
        var distinct = new List<string>(errors.Count);
        foreach (var e in errors)
        {
            if (!distinct.Contains(e))
            {
                distinct.Add(e);
            }
        }

        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    private static bool IsPrintable(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator) || rune.Value == ' ';
    }
}
