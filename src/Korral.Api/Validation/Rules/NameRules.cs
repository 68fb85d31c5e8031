using System.Globalization;
using System.Text;
using Korral.Api.Selectors;

namespace Korral.Api.Validation.Rules;

/// <summary>
/// A check of an object name (or a generateName prefix when <paramref name="prefix"/> is true) returning upstream's
/// messages, empty when valid.
/// </summary>
public delegate IReadOnlyList<string> NameValidator(string name, bool prefix);

/// <summary>
/// Upstream's name formats with their exact messages (Kubernetes 1.33): DNS-1123 labels and subdomains, DNS-1035
/// labels, qualified names (label and annotation keys), label values and path segments. Each returns the list of
/// problems, empty when the value is valid.
/// </summary>
public static class NameRules
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int Dns1035LabelMaxLength = 63;

    public const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    public const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    public const string Dns1123SubdomainFormat = Dns1123LabelFormat + @"(\." + Dns1123LabelFormat + ")*";

    public const string Dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";
    public const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    private const string WildcardFormat = @"\*\." + Dns1123SubdomainFormat;
    private const string WildcardMessage =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

    private const string UnderscoreLabelFormat = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
    private const string UnderscoreSubdomainFormat = UnderscoreLabelFormat + @"(\." + UnderscoreLabelFormat + ")*";
    private const string UnderscoreSubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";

    private static readonly IReadOnlyList<string> Valid = [];

    /// <summary><c>must be no more than 63 characters</c>.</summary>
    public static string MaxLenError(int length) => $"must be no more than {length.ToString(CultureInfo.InvariantCulture)} characters";

    /// <summary><c>must be non-empty</c>.</summary>
    public static string EmptyError() => "must be non-empty";

    /// <summary><c>must be between 1 and 65535, inclusive</c>.</summary>
    public static string InclusiveRangeError(long lo, long hi) =>
        $"must be between {lo.ToString(CultureInfo.InvariantCulture)} and {hi.ToString(CultureInfo.InvariantCulture)}, inclusive";

    /// <summary>Upstream's wording for a failed pattern: <c>msg (e.g. 'a' or 'b', regex used for validation is '…')</c>.</summary>
    public static string RegexError(string message, string regex, params string[] examples)
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

    /// <summary>A DNS-1123 label, e.g. a container or namespace name (63 characters at most).</summary>
    public static IReadOnlyList<string> Dns1123Label(string value)
    {
        List<string>? errors = null;
        if (ByteLength(value) > Dns1123LabelMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1123LabelMaxLength));
        }

        if (!IsDns1123Label(value))
        {
            (errors ??= []).Add(IsDns1123SubdomainText(value)
                ? "must not contain dots"
                : RegexError(Dns1123LabelMessage, Dns1123LabelFormat, "my-name", "123-abc"));
        }

        return errors ?? Valid;
    }

    /// <summary>A DNS-1123 subdomain, e.g. most object names (253 characters at most).</summary>
    public static IReadOnlyList<string> Dns1123Subdomain(string value) => LabelValidation.Dns1123SubdomainErrors(value);

    /// <summary>A DNS-1123 subdomain whose labels may also hold '_' (relaxed DNS search domains).</summary>
    public static IReadOnlyList<string> Dns1123SubdomainWithUnderscore(string value)
    {
        List<string>? errors = null;
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        var ok = value.Length > 0 && value.Split('.').All(label =>
        {
            var l = label.StartsWith('_') ? label[1..] : label;
            return l.Length > 0 && IsLowerAlnum(l[0]) && IsLowerAlnum(l[^1]) && l.All(c => IsLowerAlnum(c) || c is '-' or '_');
        });
        if (!ok)
        {
            (errors ??= []).Add(RegexError(UnderscoreSubdomainMessage, UnderscoreSubdomainFormat, "example.com"));
        }

        return errors ?? Valid;
    }

    /// <summary>A DNS-1035 label (starts with a letter), e.g. a Service name.</summary>
    public static IReadOnlyList<string> Dns1035Label(string value)
    {
        List<string>? errors = null;
        if (ByteLength(value) > Dns1035LabelMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1035LabelMaxLength));
        }

        if (!IsDns1123Label(value) || value[0] is >= '0' and <= '9')
        {
            (errors ??= []).Add(RegexError(Dns1035LabelMessage, Dns1035LabelFormat, "my-name", "abc-123"));
        }

        return errors ?? Valid;
    }

    /// <summary>A wildcard subdomain such as <c>*.example.com</c> (Ingress hosts).</summary>
    public static IReadOnlyList<string> WildcardDns1123Subdomain(string value)
    {
        List<string>? errors = null;
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!value.StartsWith("*.", StringComparison.Ordinal) || !IsDns1123SubdomainText(value[2..]))
        {
            (errors ??= []).Add(RegexError(WildcardMessage, WildcardFormat, "*.example.com"));
        }

        return errors ?? Valid;
    }

    /// <summary>A qualified name: a label or annotation key, <c>[prefix/]name</c> (name 63, prefix 253 characters).</summary>
    public static IReadOnlyList<string> QualifiedName(string value) => LabelValidation.QualifiedNameErrors(value);

    /// <summary>A label value: empty, or 63 characters of alphanumerics, '-', '_' and '.' starting and ending alphanumeric.</summary>
    public static IReadOnlyList<string> LabelValue(string value) => LabelValidation.LabelValueErrors(value);

    /// <summary>A name usable as one URL path segment: not "." or "..", without '/' or '%'.</summary>
    public static IReadOnlyList<string> PathSegmentName(string name)
    {
        if (name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        return PathSegmentPrefix(name);
    }

    /// <summary>A generateName prefix usable in a path segment: without '/' or '%'.</summary>
    public static IReadOnlyList<string> PathSegmentPrefix(string name)
    {
        List<string>? errors = null;
        if (name.Contains('/'))
        {
            (errors ??= []).Add("may not contain '/'");
        }

        if (name.Contains('%'))
        {
            (errors ??= []).Add("may not contain '%'");
        }

        return errors ?? Valid;
    }

    /// <summary>Object names that must be DNS-1123 subdomains (most kinds).</summary>
    public static IReadOnlyList<string> NameIsDnsSubdomain(string name, bool prefix) => Dns1123Subdomain(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Object names that must be DNS-1123 labels (Namespace, StatefulSet).</summary>
    public static IReadOnlyList<string> NameIsDnsLabel(string name, bool prefix) => Dns1123Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Object names that must be DNS-1035 labels (Service).</summary>
    public static IReadOnlyList<string> NameIsDns1035Label(string name, bool prefix) => Dns1035Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Object names that only need to be one path segment (RBAC objects, CSRs).</summary>
    public static IReadOnlyList<string> NameIsPathSegment(string name, bool prefix) => prefix ? PathSegmentPrefix(name) : PathSegmentName(name);

    /// <summary>A generateName may end in '-': the check replaces a trailing dash so only the rest is judged.</summary>
    public static string MaskTrailingDash(string name) => name.Length > 1 && name[^1] == '-' ? name[..^1] + "a" : name;

    internal static bool IsDns1123Label(string s)
    {
        if (s.Length == 0 || !IsLowerAlnum(s[0]) || !IsLowerAlnum(s[^1]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsLowerAlnum(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsDns1123SubdomainText(string s) => s.Length > 0 && s.Split('.').All(IsDns1123Label);

    internal static int ByteLength(string s)
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

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
