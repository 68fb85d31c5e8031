using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins;

/// <summary>One registered plugin: its name, factory and score weight.</summary>
public sealed record PluginEntry(string Name, Func<IFrameworkHandle, IPlugin> Create, int ScoreWeight = 0);
