namespace Korral.Proxy.Rules;

/// <summary>
/// One endpoint of a service port as the proxy sees it: an IPv4 address and the target port from the EndpointSlice,
/// its conditions (ready; serving, which defaults to ready; terminating) and whether it runs on this node.
/// </summary>
public sealed record ProxyEndpoint(string Ip, int Port, bool Ready, bool Serving, bool Terminating, bool IsLocal)
{
    /// <summary>"ip:port", the DNAT destination and part of the endpoint chain's hash.</summary>
    public string Address => $"{Ip}:{Port}";
}
