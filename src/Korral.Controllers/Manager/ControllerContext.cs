using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;

namespace Korral.Controllers.Manager;

/// <summary>What every controller is built from: the shared client, informers and event recorder, and the clock.</summary>
public sealed record ControllerContext(KubeClient Client, SharedInformerFactory Informers, EventRecorder Events, TimeProvider Time, Action<string> Log)
{
    /// <summary>The manager's options, for controllers configured by its flags (e.g. nodeipam's --cluster-cidr).</summary>
    public ControllerManagerOptions Options { get; init; } = new();
}
