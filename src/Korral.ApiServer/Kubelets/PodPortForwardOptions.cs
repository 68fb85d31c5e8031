using System.Globalization;
using Korral.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// The v1 PodPortForwardOptions of a pods/portforward request: <c>ports</c>, repeated or comma-separated, each read as
/// upstream's Convert_Slice_string_To_Slice_int32 does (an unsigned 16-bit decimal). Optional: SPDY clients name their
/// ports in stream headers, and only the WebSocket protocol of the kubelet needs them in the query.
/// </summary>
public sealed record PodPortForwardOptions
{
    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>Decodes the query; a port that does not convert is a 400 with upstream's text.</summary>
    public static PodPortForwardOptions Decode(IQueryCollection query)
    {
        var ports = new List<int>();
        foreach (var value in query["ports"])
        {
            foreach (var text in (value ?? "").Split(','))
            {
                ports.Add(ParsePort(text));
            }
        }

        return new PodPortForwardOptions { Ports = ports };
    }

    /// <summary>The kubelet's query: the ports joined by commas under <c>port</c> (upstream's PortHeader), or empty.</summary>
    public string KubeletQuery() => Ports.Count == 0
        ? ""
        : GoQuery.Encode([KeyValuePair.Create("port", string.Join(',', Ports.Select(p => p.ToString(CultureInfo.InvariantCulture))))]);

    /// <summary>strconv.ParseUint(text, 10, 16), failing at the first bad digit or overflow as Go does.</summary>
    private static int ParsePort(string text)
    {
        if (text.Length == 0)
        {
            throw Error(text, "invalid syntax");
        }

        var value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                throw Error(text, "invalid syntax");
            }

            value = value * 10 + (c - '0');
            if (value > ushort.MaxValue)
            {
                throw Error(text, "value out of range");
            }
        }

        return value;
    }

    private static ApiException Error(string text, string reason) =>
        ApiErrors.BadRequest($"cannot convert to []int32: strconv.ParseUint: parsing {GoQuery.Quote(text)}: {reason}");
}
