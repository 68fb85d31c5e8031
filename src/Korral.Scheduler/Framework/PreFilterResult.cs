namespace Korral.Scheduler.Framework;

/// <summary>A PreFilter's narrowing of the candidate nodes (e.g. NodeAffinity on metadata.name); null names means all.</summary>
public sealed record PreFilterResult(IReadOnlySet<string>? NodeNames)
{
    public bool AllNodes => NodeNames is null;

    /// <summary>The intersection of two results (null stands for all nodes).</summary>
    public PreFilterResult Merge(PreFilterResult? other)
    {
        if (other is null || other.AllNodes)
        {
            return this;
        }

        if (AllNodes)
        {
            return other;
        }

        var names = new HashSet<string>(NodeNames!, StringComparer.Ordinal);
        names.IntersectWith(other.NodeNames!);
        return new PreFilterResult(names);
    }
}
