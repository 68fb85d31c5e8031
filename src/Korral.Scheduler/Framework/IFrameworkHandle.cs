using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;

namespace Korral.Scheduler.Framework;

/// <summary>
/// What plugins are built with: the API client and shared informers (volumes, namespaces, budgets), the event recorder,
/// the clock, waiting pods, pods nominated to nodes, and the framework's own filter runner (preemption re-runs the
/// filters on what-if copies of nodes).
/// </summary>
public interface IFrameworkHandle
{
    KubeClient Client { get; }

    SharedInformerFactory Informers { get; }

    IEventRecorder Events { get; }

    TimeProvider Time { get; }

    Action<string> Log { get; }

    IWaitingPods WaitingPods { get; }

    INominator Nominator { get; }

    /// <summary>The snapshot of the cycle in progress.</summary>
    Snapshot Snapshot { get; }

    /// <summary>The name pods must carry in <c>spec.schedulerName</c> for this scheduler.</summary>
    string SchedulerName { get; }

    /// <summary>Runs every Filter plugin for the pod on the node, as if higher-or-equal priority nominated pods were there.</summary>
    Status RunFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node);

    /// <summary>Runs every PreFilter plugin's RemovePod extension (preemption removing a victim from a what-if node).</summary>
    Status RunPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);

    /// <summary>Runs every PreFilter plugin's AddPod extension.</summary>
    Status RunPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);
}
