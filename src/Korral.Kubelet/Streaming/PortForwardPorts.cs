using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Streaming;

/// <summary>
/// The ports of a port-forward over WebSocket, which must be named up front in <c>port</c> query values (each may be a
/// comma-separated list; upstream's V4Options). Over SPDY the ports come later, one per stream, so none are read here.
/// Errors carry upstream's words (Go's strconv messages included), answered with 400.
/// </summary>
internal static class PortForwardPorts
{
    private const string Parameter = "port";

    public static (IReadOnlyList<int>? Ports, string? Error) FromQuery(IQueryCollection query)
    {
        var values = query[Parameter];
        if (values.Count == 0)
        {
            return (null, $"query parameter \"{Parameter}\" is required");
        }

        var ports = new List<int>();
        foreach (var value in values)
        {
            var text = value ?? "";
            if (text.Length == 0)
            {
                return (null, $"query parameter \"{Parameter}\" cannot be empty");
            }

            foreach (var part in text.Split(','))
            {
                if (Parse(part) is { } problem)
                {
                    return (null, $"unable to parse \"{text}\" as a port: strconv.ParseUint: parsing \"{part}\": {problem}");
                }

                var port = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
                if (port < 1)
                {
                    return (null, $"port \"{text}\" must be > 0");
                }

                ports.Add(port);
            }
        }

        return (ports, null);
    }

    /// <summary>Null when <paramref name="text"/> is a decimal 16-bit number, else Go's reason.</summary>
    private static string? Parse(string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return "invalid syntax";
        }

        var significant = text.TrimStart('0');
        return significant.Length > 5 || (significant.Length > 0 && int.Parse(significant, System.Globalization.CultureInfo.InvariantCulture) > ushort.MaxValue)
            ? "value out of range"
            : null;
    }
}
