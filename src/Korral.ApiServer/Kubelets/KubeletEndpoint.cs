using System.Text;
using System.Text.Json.Nodes;
using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// Where a node's kubelet listens: the node's preferred address and the port it reports (upstream's
/// NodeConnectionInfoGetter in pkg/kubelet/client).
/// </summary>
public sealed record KubeletEndpoint(string Host, int Port)
{
    /// <summary>
    /// The endpoint of a Node object: the first address of a preferred type in status.addresses, and
    /// status.daemonEndpoints.kubeletEndpoint.Port (or the default port). A node without such an address is an error
    /// with upstream's wording.
    /// </summary>
    public static KubeletEndpoint FromNode(JsonObject node, KubeletClientOptions options)
    {
        var addresses = (node["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>()
            .Select(a => (Type: (string?)a["type"] ?? "", Address: (string?)a["address"] ?? ""))
            .ToList() ?? [];
        string? host = null;
        foreach (var type in options.PreferredAddressTypes)
        {
            host = addresses.FirstOrDefault(a => a.Type == type && a.Address.Length > 0).Address;
            if (host is not null)
            {
                break;
            }
        }

        if (host is null)
        {
            // A plain error upstream (no Status reason): kubectl prints "Error from server: no preferred addresses found; …".
            var known = new StringBuilder("[");
            known.AppendJoin(' ', addresses.Select(a => $"{{{a.Type} {a.Address}}}"));
            known.Append(']');
            throw new ApiException(500, "", $"no preferred addresses found; known addresses: {known}");
        }

        var port = node["status"]?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"] is JsonValue value && value.TryGetValue<int>(out var p) && p > 0
            ? p
            : options.DefaultPort;
        return new KubeletEndpoint(host, port);
    }

    /// <summary>host:port as a Host header or a URL names it (IPv6 hosts in brackets).</summary>
    public string Authority => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>https://host:port/path?query (IPv6 hosts in brackets).</summary>
    public Uri Url(string path, string query = "")
    {
        var host = Host.Contains(':') ? $"[{Host}]" : Host;
        return new Uri(query.Length == 0 ? $"https://{host}:{Port}{path}" : $"https://{host}:{Port}{path}?{query}");
    }
}
