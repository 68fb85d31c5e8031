using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>A framework handle with only what the plugin's constructor reads.</summary>
internal sealed class InformersOnlyHandle(KubeClient client, SharedInformerFactory informers, Action<string>? log = null) : IFrameworkHandle
{
    public KubeClient Client => client;

    public SharedInformerFactory Informers => informers;

    public IEventRecorder Events => throw new NotSupportedException();

    public TimeProvider Time => TimeProvider.System;

    public Action<string> Log => log ?? (_ => { });

    public IWaitingPods WaitingPods => throw new NotSupportedException();

    public INominator Nominator => throw new NotSupportedException();

    public Snapshot Snapshot => throw new NotSupportedException();

    public string SchedulerName => "default-scheduler";

    public Status RunFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) => throw new NotSupportedException();

    public Status RunPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) => throw new NotSupportedException();

    public Status RunPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) => throw new NotSupportedException();
}
