namespace Korral.Client;

/// <summary>Query parameters of create, update and patch.</summary>
public sealed record WriteOptions
{
    /// <summary>fieldManager: who owns the fields this write sets (defaults to the client's user agent on the server).</summary>
    public string? FieldManager { get; init; }

    /// <summary>dryRun=All: validate and admit, but do not store.</summary>
    public bool DryRun { get; init; }

    /// <summary>fieldValidation: Ignore, Warn or Strict.</summary>
    public string? FieldValidation { get; init; }

    /// <summary>force: for apply patches, take ownership of conflicting fields.</summary>
    public bool? Force { get; init; }

    internal static void AppendTo(WriteOptions? options, QueryBuilder query)
    {
        if (options is null)
        {
            return;
        }

        query.Add("fieldManager", options.FieldManager);
        if (options.DryRun)
        {
            query.Add("dryRun", "All");
        }

        query.Add("fieldValidation", options.FieldValidation);
        if (options.Force is { } force)
        {
            query.Add("force", force ? "true" : "false");
        }
    }
}
