namespace Korral.Scheduler.Framework;

/// <summary>
/// A change in the cluster that may make rejected pods schedulable (upstream's ClusterEvent): the queue moves an
/// unschedulable pod back when one of the plugins that rejected it registered for the event.
/// </summary>
public readonly record struct ClusterEvent(EventResource Resource, ActionType Action)
{
    /// <summary>Whether this registration (<c>this</c>) covers the event <paramref name="happened"/>.</summary>
    public bool Covers(ClusterEvent happened) =>
        (Resource == happened.Resource || Resource == EventResource.Wildcard) && (Action & happened.Action) != 0;

    public override string ToString() => $"{Resource}{Action}";
}
