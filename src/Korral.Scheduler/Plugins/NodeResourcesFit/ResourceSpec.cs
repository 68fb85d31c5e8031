namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>A resource the score looks at and its weight in the average (upstream's ResourceSpec, weight 1–100).</summary>
public sealed record ResourceSpec(string Name, long Weight);
