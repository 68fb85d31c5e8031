using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins;

/// <summary>
/// Every in-tree plugin in one readable map, in upstream's default order: name, how to build it, and its score weight
/// (upstream's default profile weights; 0 for plugins that do not score). The framework runs each extension point's
/// plugins in this order.
/// </summary>
public static class PluginRegistry
{
    public static IReadOnlyList<PluginEntry> Default { get; } =
    [
    ];
}
