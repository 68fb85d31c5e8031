namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// Turns one node's per-resource requested amounts (the pod included) and allocatable amounts into a 0–100 score.
/// Entries with allocatable 0 are resources the node does not have and are left out. Spans, so Score allocates nothing.
/// </summary>
internal delegate long ResourceScoreFunction(ReadOnlySpan<long> requested, ReadOnlySpan<long> allocatable, ReadOnlySpan<long> weights);
