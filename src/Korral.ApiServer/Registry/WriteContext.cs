namespace Korral.ApiServer.Registry;

/// <summary>Per-request facts a write needs: who asks, when, whether it is a dry run, the field manager.</summary>
public sealed record WriteContext(DateTimeOffset Now, bool DryRun, string? FieldManager, string User)
{
    public static WriteContext System(DateTimeOffset now) => new(now, false, "korral", "system:apiserver");
}
