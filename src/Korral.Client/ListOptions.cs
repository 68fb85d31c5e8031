namespace Korral.Client;

/// <summary>Query parameters of a LIST (and of DELETE collection), with upstream's names and meaning.</summary>
public sealed record ListOptions
{
    /// <summary>labelSelector, e.g. "app=web,tier!=db".</summary>
    public string? LabelSelector { get; init; }

    /// <summary>fieldSelector, e.g. "spec.nodeName=node-1".</summary>
    public string? FieldSelector { get; init; }

    /// <summary>limit: at most this many items per page; the answer's continue token fetches the next page.</summary>
    public int? Limit { get; init; }

    /// <summary>continue: the token from the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>resourceVersion: null for the most recent state (a consistent read), "0" for whatever the cache holds.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>resourceVersionMatch (Exact, NotOlderThan), with <see cref="ResourceVersion"/>.</summary>
    public string? ResourceVersionMatch { get; init; }

    public static ListOptions Everything { get; } = new();

    internal void AppendTo(QueryBuilder query)
    {
        query.Add("labelSelector", LabelSelector);
        query.Add("fieldSelector", FieldSelector);
        query.Add("limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add("continue", Continue);
        query.Add("resourceVersion", ResourceVersion);
        query.Add("resourceVersionMatch", ResourceVersionMatch);
    }
}
