namespace Korral.Scheduler.Scheduling;

/// <summary>A scheduling attempt failed for a reason other than "no node fits" (a plugin error, no nodes at all).</summary>
public sealed class SchedulingException(string message) : Exception(message);
