using Korral.Proxy.Host;

namespace Korral.Proxy;

/// <summary>What <see cref="ProxyCleanup"/> removes and how it runs commands.</summary>
public sealed record ProxyCleanupOptions
{
    /// <summary>The guard bridge to delete (with its route); null: leave bridges alone.</summary>
    public string? GuardBridge { get; init; } = HostNetwork.DefaultGuardBridge;

    /// <summary>The chain prefix the proxy used (<see cref="ProxyOptions.ChainPrefix"/>).</summary>
    public string ChainPrefix { get; init; } = Rules.ChainLayout.DefaultPrefix;

    /// <summary>Prefix for every host command (see <see cref="ProxyOptions.CommandPrefix"/>).</summary>
    public IReadOnlyList<string> CommandPrefix { get; init; } = [];

    public Action<string> Log { get; init; } = _ => { };
}
