using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Korral.Api.Validation.Rules;

/// <summary>
/// Upstream's value formats other than names, with their exact messages: ports and port names, percentages,
/// environment variable names, ConfigMap/Secret keys, HTTP header names, IP addresses and CIDRs.
/// </summary>
public static class FormatRules
{
    private static readonly IReadOnlyList<string> Valid = [];

    /// <summary>A non-zero port number: <c>must be between 1 and 65535, inclusive</c>.</summary>
    public static IReadOnlyList<string> PortNumber(long port) =>
        port is >= 1 and <= 65535 ? Valid : [NameRules.InclusiveRangeError(1, 65535)];

    /// <summary>An IANA service name used as a port name: 15 characters of [-a-z0-9] with a letter, no "--", no edge '-'.</summary>
    public static IReadOnlyList<string> PortName(string port)
    {
        List<string>? errors = null;
        if (port.Length > 15)
        {
            (errors ??= []).Add(NameRules.MaxLenError(15));
        }

        if (port.Length == 0 || !port.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            (errors ??= []).Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!port.Any(c => c is >= 'a' and <= 'z'))
        {
            (errors ??= []).Add("must contain at least one letter (a-z)");
        }

        if (port.Contains("--", StringComparison.Ordinal))
        {
            (errors ??= []).Add("must not contain consecutive hyphens");
        }

        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            (errors ??= []).Add("must not begin or end with a hyphen");
        }

        return errors ?? Valid;
    }

    /// <summary>A percentage such as <c>25%</c>.</summary>
    public static IReadOnlyList<string> Percent(string value)
    {
        var ok = value.Length >= 2 && value[^1] == '%' && value[..^1].All(char.IsAsciiDigit);
        return ok
            ? Valid
            : [NameRules.RegexError("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%")];
    }

    /// <summary>
    /// An environment variable name under 1.33's default relaxed rule: printable ASCII other than '='.
    /// </summary>
    public static IReadOnlyList<string> RelaxedEnvVarName(string value)
    {
        List<string>? errors = null;
        if (value.Length == 0)
        {
            (errors ??= []).Add("environment variable name " + NameRules.EmptyError());
        }

        foreach (var c in value)
        {
            if (c > 0x7e || c < 0x20 || c == '=')
            {
                (errors ??= []).Add("a valid environment variable name must consist only of printable ASCII characters other than '='");
                break;
            }
        }

        return errors ?? Valid;
    }

    /// <summary>The strict (pre-relaxation) environment variable rule, <c>[-._a-zA-Z][-._a-zA-Z0-9]*</c>.</summary>
    public static IReadOnlyList<string> EnvVarName(string value)
    {
        List<string>? errors = null;
        var ok = value.Length > 0 && (char.IsAsciiLetter(value[0]) || value[0] is '-' or '.' or '_')
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');
        if (!ok)
        {
            (errors ??= []).Add(NameRules.RegexError(
                "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
                "[-._a-zA-Z][-._a-zA-Z0-9]*", "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }

        errors = AddChDirPrefix(value, errors);
        return errors ?? Valid;
    }

    /// <summary>A key of a ConfigMap or Secret: 253 characters of [-._a-zA-Z0-9], not "." or "..", not starting "..".</summary>
    public static IReadOnlyList<string> ConfigMapKey(string value)
    {
        List<string>? errors = null;
        if (NameRules.ByteLength(value) > NameRules.Dns1123SubdomainMaxLength)
        {
            (errors ??= []).Add(NameRules.MaxLenError(NameRules.Dns1123SubdomainMaxLength));
        }

        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            (errors ??= []).Add(NameRules.RegexError(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"));
        }

        errors = AddChDirPrefix(value, errors);
        return errors ?? Valid;
    }

    /// <summary>An HTTP header name, <c>[-A-Za-z0-9]+</c>.</summary>
    public static IReadOnlyList<string> HttpHeaderName(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? Valid
            : [NameRules.RegexError("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+", "X-Header-Name")];

    /// <summary>Errors for an IP address (IPv4 with optional leading zeros, or IPv6), at <paramref name="path"/>.</summary>
    public static FieldErrorList IpAddress(FieldPath path, string value) => ParseIp(value) is null
        ? [FieldError.Invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
        : [];

    public static FieldErrorList Ipv4Address(FieldPath path, string value) => ParseIp(value) is { AddressFamily: AddressFamily.InterNetwork }
        ? []
        : [FieldError.Invalid(path, value, "must be a valid IPv4 address")];

    public static FieldErrorList Ipv6Address(FieldPath path, string value) => ParseIp(value) is { AddressFamily: AddressFamily.InterNetworkV6 } ip
        && !ip.IsIPv4MappedToIPv6
        ? []
        : [FieldError.Invalid(path, value, "must be a valid IPv6 address")];

    /// <summary>Errors for a CIDR such as <c>10.0.0.0/8</c>.</summary>
    public static FieldErrorList Cidr(FieldPath path, string value)
    {
        var slash = value.IndexOf('/');
        var ok = slash > 0 && ParseIp(value[..slash]) is { } ip
            && int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            && bits <= (ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return ok ? [] : [FieldError.Invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")];
    }

    /// <summary>Parses an IP the way upstream's sloppy parser does: dotted IPv4 (leading zeros allowed) or IPv6, no zones.</summary>
    public static IPAddress? ParseIp(string value)
    {
        if (value.Length == 0 || value.Contains('%') || value.Contains('[') || value.Contains('/'))
        {
            return null;
        }

        if (value.Contains(':'))
        {
            return IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }

        var parts = value.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit))
            {
                return null;
            }

            var n = int.Parse(p, CultureInfo.InvariantCulture);
            if (n > 255)
            {
                return null;
            }

            bytes[i] = (byte)n;
        }

        return new IPAddress(bytes);
    }

    private static List<string>? AddChDirPrefix(string value, List<string>? errors)
    {
        if (value == ".")
        {
            (errors ??= []).Add("must not be '.'");
        }
        else if (value == "..")
        {
            (errors ??= []).Add("must not be '..'");
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            (errors ??= []).Add("must not start with '..'");
        }

        return errors;
    }
}
