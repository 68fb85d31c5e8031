using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>
/// Fallbacks. Upstream's built-in kinds without a printer (Role, ClusterRole, LimitRange, CustomResourceDefinition…)
/// show NAME and CREATED AT (an RFC 3339 time); custom resources without printer columns show NAME and AGE.
/// </summary>
internal static class DefaultPrinters
{
    public static readonly TableColumnDefinition[] NameAgeColumns =
    [
        Col.Name,
        new TableColumnDefinition("Age", "date", "", "Time since the object was created.", 0),
    ];

    public static readonly TableColumnDefinition[] CreatedAtColumns =
    [
        Col.Name,
        new TableColumnDefinition("Created At", "date", "", "When the object was created (RFC 3339, UTC).", 0),
    ];

    public static object?[] NameAge(JsonObject obj, DateTimeOffset now) => [Name(obj), Age(obj, now)];

    public static object?[] CreatedAt(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Rfc3339(Time(Meta(obj), "creationTimestamp"))];
}
