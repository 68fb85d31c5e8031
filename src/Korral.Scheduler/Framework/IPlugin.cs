namespace Korral.Scheduler.Framework;

/// <summary>
/// A scheduler plugin. A plugin implements the extension-point interfaces it takes part in (<see cref="IFilterPlugin"/>,
/// <see cref="IScorePlugin"/>…); every plugin is registered in <c>Plugins/PluginRegistry</c>. Methods return a
/// <see cref="Status"/> and do not throw for pods that do not fit. Filter and Score run on several threads at once for
/// different nodes of one pod: they only read the cycle state.
/// </summary>
public interface IPlugin
{
    /// <summary>Upstream's plugin name (NodeResourcesFit, TaintToleration…), used in config, logs and messages.</summary>
    string Name { get; }
}
