using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// A node the preemptor would fit on once <see cref="Victims"/> are gone. Victims are ordered from the most to the least
/// important (priority, then the earlier start); <see cref="NumPdbViolations"/> counts those whose eviction breaks a
/// PodDisruptionBudget.
/// </summary>
public sealed record Candidate(string NodeName, IReadOnlyList<PodInfo> Victims, int NumPdbViolations);
