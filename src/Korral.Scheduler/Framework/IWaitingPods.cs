namespace Korral.Scheduler.Framework;

/// <summary>Pods held by a Permit plugin's Wait; plugins allow or reject them by UID.</summary>
public interface IWaitingPods
{
    /// <summary>UIDs of the waiting pods.</summary>
    IReadOnlyCollection<string> WaitingPodUids { get; }

    /// <summary>The plugin's approval; the pod binds once every waiting plugin has allowed it. False when not waiting.</summary>
    bool Allow(string podUid, string plugin);

    /// <summary>Rejects the pod: it goes back to the queue as unschedulable. False when not waiting.</summary>
    bool Reject(string podUid, string plugin, string message);
}
