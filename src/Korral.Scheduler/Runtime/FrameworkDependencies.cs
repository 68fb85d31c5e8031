using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Runtime;

/// <summary>What the framework hands to plugins through <see cref="IFrameworkHandle"/>.</summary>
public sealed record FrameworkDependencies(
    KubeClient Client,
    SharedInformerFactory Informers,
    IEventRecorder Events,
    INominator Nominator,
    TimeProvider Time,
    Action<string> Log,
    string SchedulerName = SchedulingFramework.DefaultSchedulerName);
