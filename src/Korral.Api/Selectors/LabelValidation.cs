using System.Text;

namespace Korral.Api.Selectors;

/// <summary>
/// Syntax checks for label keys ("qualified names") and label values, returning upstream's messages (as of
/// Kubernetes 1.33, which speaks of "characters" and "a qualified name"). An empty list means valid.
/// </summary>
public static class LabelValidation
{
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;

    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private const string QualifiedNameRegex = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private const string LabelValueRegex = "(" + QualifiedNameRegex + ")?";

    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string Dns1123SubdomainRegex = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    /// <summary>Errors for a label key such as <c>app</c> or <c>example.com/tier</c>.</summary>
    public static IReadOnlyList<string> QualifiedNameErrors(string value)
    {
        List<string>? errors = null;
        string name;
        var slash = value.IndexOf('/');
        if (slash < 0)
        {
            name = value;
        }
        else if (value.IndexOf('/', slash + 1) >= 0)
        {
            return
            [
                "a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameRegex, "MyName", "my.name", "123-abc") +
                " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            ];
        }
        else
        {
            var prefix = value[..slash];
            name = value[(slash + 1)..];
            if (prefix.Length == 0)
            {
                (errors ??= []).Add("prefix part must be non-empty");
            }
            else
            {
                foreach (var e in Dns1123SubdomainErrors(prefix))
                {
                    (errors ??= []).Add("prefix part " + e);
                }
            }
        }

        if (name.Length == 0)
        {
            (errors ??= []).Add("name part must be non-empty");
        }
        else if (ByteLength(name) > QualifiedNameMaxLength)
        {
            (errors ??= []).Add("name part " + MaxLengthError(QualifiedNameMaxLength));
        }

        if (!IsQualifiedNamePart(name))
        {
            (errors ??= []).Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameRegex, "MyName", "my.name", "123-abc"));
        }

        return errors ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Errors for a label value (empty is valid).</summary>
    public static IReadOnlyList<string> LabelValueErrors(string value)
    {
        List<string>? errors = null;
        if (ByteLength(value) > LabelValueMaxLength)
        {
            (errors ??= []).Add(MaxLengthError(LabelValueMaxLength));
        }

        if (value.Length != 0 && !IsQualifiedNamePart(value))
        {
            (errors ??= []).Add(RegexError(LabelValueMessage, LabelValueRegex, "MyValue", "my_value", "12345"));
        }

        return errors ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Errors for a lowercase RFC 1123 subdomain such as <c>example.com</c>.</summary>
    public static IReadOnlyList<string> Dns1123SubdomainErrors(string value)
    {
        List<string>? errors = null;
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            (errors ??= []).Add(MaxLengthError(Dns1123SubdomainMaxLength));
        }

        if (!IsDns1123Subdomain(value))
        {
            (errors ??= []).Add(RegexError(Dns1123SubdomainMessage, Dns1123SubdomainRegex, "example.com"));
        }

        return errors ?? (IReadOnlyList<string>)[];
    }

    internal static string MaxLengthError(int length) => $"must be no more than {length} characters";

    /// <summary>Upstream's wording for a failed pattern, examples included (note the double space before "or").</summary>
    internal static string RegexError(string message, string regex, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return message + " (regex used for validation is '" + regex + "')";
        }

        var sb = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" or ");
            }

            sb.Append('\'').Append(examples[i]).Append("', ");
        }

        return sb.Append("regex used for validation is '").Append(regex).Append("')").ToString();
    }

    private static int ByteLength(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7f)
            {
                return Encoding.UTF8.GetByteCount(s);
            }
        }

        return s.Length;
    }

    private static bool IsAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    // ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
    private static bool IsQualifiedNamePart(string s)
    {
        if (s.Length == 0 || !IsAlphanumeric(s[0]) || !IsAlphanumeric(s[^1]))
        {
            return false;
        }

        for (var i = 1; i < s.Length - 1; i++)
        {
            var c = s[i];
            if (!IsAlphanumeric(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsDns1123Subdomain(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        foreach (var label in s.Split('.'))
        {
            if (label.Length == 0 || !IsLowerAlphanumeric(label[0]) || !IsLowerAlphanumeric(label[^1]))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!IsLowerAlphanumeric(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
