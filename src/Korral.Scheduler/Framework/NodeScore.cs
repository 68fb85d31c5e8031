namespace Korral.Scheduler.Framework;

/// <summary>One node's score from one plugin, or the weighted total.</summary>
public struct NodeScore(string name, long score)
{
    public string Name { get; } = name;

    public long Score { get; set; } = score;

    public override readonly string ToString() => $"{Name}={Score}";
}
