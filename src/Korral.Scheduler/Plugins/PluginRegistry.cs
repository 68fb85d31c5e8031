using Korral.Scheduler.Plugins.DefaultBinder;
using Korral.Scheduler.Plugins.DefaultPreemption;
using Korral.Scheduler.Plugins.InterPodAffinity;
using Korral.Scheduler.Plugins.NodeAffinity;
using Korral.Scheduler.Plugins.NodeName;
using Korral.Scheduler.Plugins.NodePorts;
using Korral.Scheduler.Plugins.NodeResourcesBalancedAllocation;
using Korral.Scheduler.Plugins.NodeResourcesFit;
using Korral.Scheduler.Plugins.NodeUnschedulable;
using Korral.Scheduler.Plugins.PodTopologySpread;
using Korral.Scheduler.Plugins.PrioritySort;
using Korral.Scheduler.Plugins.SchedulingGates;
using Korral.Scheduler.Plugins.TaintToleration;
using Korral.Scheduler.Plugins.VolumeBinding;

namespace Korral.Scheduler.Plugins;

/// <summary>
/// Every in-tree plugin in one readable map, in upstream's default-profile order: name, how to build it, and its score
/// weight (upstream's default weights; 0 for plugins that do not score). The framework runs each extension point's
/// plugins in this order.
/// </summary>
public static class PluginRegistry
{
    public static IReadOnlyList<PluginEntry> Default { get; } =
    [
        new(PrioritySortPlugin.PluginName, _ => new PrioritySortPlugin()),
        new(SchedulingGatesPlugin.PluginName, _ => new SchedulingGatesPlugin()),
        new(NodeUnschedulablePlugin.PluginName, _ => new NodeUnschedulablePlugin()),
        new(NodeNamePlugin.PluginName, _ => new NodeNamePlugin()),
        new(TaintTolerationPlugin.PluginName, _ => new TaintTolerationPlugin(), ScoreWeight: 3),
        new(NodeAffinityPlugin.PluginName, _ => new NodeAffinityPlugin(), ScoreWeight: 2),
        new(NodePortsPlugin.PluginName, _ => new NodePortsPlugin()),
        new(NodeResourcesFitPlugin.PluginName, _ => new NodeResourcesFitPlugin(), ScoreWeight: 1),
        new(VolumeBindingPlugin.PluginName, h => new VolumeBindingPlugin(h)),
        new(PodTopologySpreadPlugin.PluginName, PodTopologySpreadPlugin.New, ScoreWeight: 2),
        new(InterPodAffinityPlugin.PluginName, InterPodAffinityPlugin.New, ScoreWeight: 2),
        new(DefaultPreemptionPlugin.PluginName, h => new DefaultPreemptionPlugin(h)),
        new(NodeResourcesBalancedAllocationPlugin.PluginName, _ => new NodeResourcesBalancedAllocationPlugin(), ScoreWeight: 1),
        new(DefaultBinderPlugin.PluginName, h => new DefaultBinderPlugin(h)),
    ];
}
