namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>A point of the RequestedToCapacityRatio function: utilization 0–100 (%) maps to score 0–10.</summary>
public readonly record struct UtilizationShapePoint(int Utilization, int Score);
