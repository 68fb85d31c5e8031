using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Korral.Kubelet.Probes;

/// <summary>
/// Go's wording of what probe messages quote (upstream's kubelet formats them with Go's standard library), so that the
/// events read as users and their tooling know them: durations ("1s", "1m30s"), host:port pairs and dial errors.
/// </summary>
internal static class GoText
{
    /// <summary>A duration as Go's time.Duration prints it ("0s", "1s", "1m30s", "1h0m0s", "500ms").</summary>
    public static string Duration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1) && value.Ticks % TimeSpan.TicksPerMillisecond == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalMilliseconds}ms");
        }

        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var seconds = value.Seconds + ((double)(value.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond);
        text.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    /// <summary>A string as Go's %q prints it: in double quotes, with quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' or '\u007f' => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary>Go's net.JoinHostPort: an IPv6 literal goes in brackets.</summary>
    public static string HostPort(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>A failed TCP dial as Go's net package describes it.</summary>
    public static string Dial(SocketException e, string host, int port)
    {
        var address = HostPort(host, port);
        return e.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"dial tcp {address}: connect: connection refused",
            SocketError.TimedOut => $"dial tcp {address}: i/o timeout",
            SocketError.HostUnreachable => $"dial tcp {address}: connect: no route to host",
            SocketError.NetworkUnreachable => $"dial tcp {address}: connect: network is unreachable",
            SocketError.HostNotFound or SocketError.NoData => $"dial tcp: lookup {host}: no such host",
            _ => $"dial tcp {address}: {Lower(e.Message)}",
        };
    }

    /// <summary>The dial error for a deadline that passed while connecting.</summary>
    public static string DialTimeout(string host, int port) => $"dial tcp {HostPort(host, port)}: i/o timeout";

    private static string Lower(string message) => message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
}
