using System.Globalization;
using System.Text;

namespace Korral.Api.ManagedFields;

/// <summary>Names of field managers: the default derived from the User-Agent, and upstream's validation.</summary>
public static class FieldManagerName
{
    /// <summary>Upstream's limit on a fieldManager (bytes).</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// The manager of a request: its fieldManager parameter when given, otherwise the User-Agent up to the first
    /// <c>/</c> without unprintable characters, cut at 128 bytes (<c>kubectl.1.33/v1.33.1 (linux/amd64) …</c> gives
    /// <c>kubectl.1.33</c>).
    /// </summary>
    public static string Resolve(string? fieldManager, string? userAgent) =>
        string.IsNullOrEmpty(fieldManager) ? FromUserAgent(userAgent) : fieldManager;

    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return "";
        }

        var slash = userAgent.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? userAgent : userAgent[..slash];
        var sb = new StringBuilder();
        var bytes = 0;
        foreach (var rune in prefix.EnumerateRunes())
        {
            if (!IsPrint(rune))
            {
                continue;
            }

            if (bytes + rune.Utf8SequenceLength > MaxLength)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    /// <summary>
    /// Upstream's checks of a fieldManager, as field error details for the field <c>fieldManager</c>:
    /// <c>Too long: may not be more than 128 bytes</c> and <c>invalid character U+0000 (at position 1)</c>.
    /// </summary>
    public static IReadOnlyList<string> Validate(string? fieldManager)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(fieldManager))
        {
            return problems;
        }

        if (Encoding.UTF8.GetByteCount(fieldManager) > MaxLength)
        {
            problems.Add($"Too long: may not be more than {MaxLength} bytes");
        }

        var position = 0;
        foreach (var rune in fieldManager.EnumerateRunes())
        {
            if (!IsPrint(rune))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"invalid character U+{rune.Value:X4} (at position {position})"));
            }

            position += rune.Utf8SequenceLength;
        }

        return problems;
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrint(Rune rune) =>
        rune.Value == ' ' || Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
}
