using System.Net;

namespace Korral.ApiServer.Hosting;

/// <summary>
/// Settings of the API server, with upstream's flag names and defaults. <see cref="Validate"/> collects every problem
/// at start-up and says how to fix it.
/// </summary>
public sealed record ApiServerOptions
{
    /// <summary>--data-dir: where the CA, certificates and tokens live (default /var/lib/korral/server).</summary>
    public required string DataDir { get; init; }

    /// <summary>--bind-address (default 0.0.0.0).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>--https-listen-port (default 6443).</summary>
    public int Port { get; init; } = 6443;

    /// <summary>--service-cluster-ip-range (default 10.96.0.0/12).</summary>
    public string ServiceClusterIpRange { get; init; } = "10.96.0.0/12";

    /// <summary>--service-node-port-range (default 30000-32767).</summary>
    public string ServiceNodePortRange { get; init; } = "30000-32767";

    /// <summary>--tls-san: extra names or addresses for the serving certificate.</summary>
    public IReadOnlyList<string> TlsSans { get; init; } = [];

    /// <summary>The address other machines reach this server at (advertised in the `kubernetes` Endpoints).</summary>
    public IPAddress? AdvertiseAddress { get; init; }

    /// <summary>
    /// --token: the node join secret (or a full K10… token of this cluster's CA). Unset: the one in
    /// &lt;data dir&gt;/token, created with a random secret on first start.
    /// </summary>
    public string? Token { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 1 or > 65535)
        {
            errors.Add($"--https-listen-port {Port} is not a valid port (1-65535)");
        }

        if (string.IsNullOrWhiteSpace(DataDir))
        {
            errors.Add("--data-dir must name a directory");
        }

        var slash = ServiceClusterIpRange.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(ServiceClusterIpRange[..slash], out _))
        {
            errors.Add($"--service-cluster-ip-range \"{ServiceClusterIpRange}\" is not a CIDR such as 10.96.0.0/12");
        }

        if (!string.IsNullOrWhiteSpace(Token) && !NodeJoin.NodeJoinToken.TryParse(Token.Trim(), out _, out _))
        {
            errors.Add("--token: a node join token is K10<CA hash>::<user>:<secret>, K10<CA hash>::<secret> or the secret alone");
        }

        if (ParsePortRange(ServiceNodePortRange) is null)
        {
            errors.Add($"--service-node-port-range \"{ServiceNodePortRange}\" is not a range such as 30000-32767");
        }

        return errors;
    }

    public static (int First, int Last)? ParsePortRange(string range)
    {
        var dash = range.IndexOf('-');
        if (dash > 0 && int.TryParse(range[..dash], out var first) && int.TryParse(range[(dash + 1)..], out var last) && first > 0 && last <= 65535 && first <= last)
        {
            return (first, last);
        }

        return null;
    }
}
