using System.Text.Json.Nodes;

namespace Korral.Api.Printing;

/// <summary>
/// Prints one kind as table rows: the column definitions and, per object, the cells (as upstream's server-side
/// printers produce them with all wide columns included). Resolve once per request with <see cref="TablePrinter.For"/>
/// and call <see cref="Cells"/> per object; instances are immutable and thread-safe.
/// </summary>
public sealed class ResourcePrinter
{
    private readonly Func<JsonObject, DateTimeOffset, object?[]> cells;
    private readonly Func<JsonObject, IReadOnlyList<TableRowCondition>?>? conditions;

    public ResourcePrinter(
        string group,
        string kind,
        IReadOnlyList<TableColumnDefinition> columns,
        Func<JsonObject, DateTimeOffset, object?[]> cells,
        Func<JsonObject, IReadOnlyList<TableRowCondition>?>? conditions = null)
    {
        Group = group;
        Kind = kind;
        Columns = columns;
        this.cells = cells;
        this.conditions = conditions;
    }

    /// <summary>The API group the printer was registered for ("" for core; "*" for the shared defaults).</summary>
    public string Group { get; }

    /// <summary>The kind the printer was registered for ("*" for the shared defaults).</summary>
    public string Kind { get; }

    public IReadOnlyList<TableColumnDefinition> Columns { get; }

    /// <summary>
    /// One cell per column: a <see cref="string"/>, a boxed <see cref="long"/>, a boxed <see cref="bool"/> or null,
    /// serialized as the matching JSON value. <paramref name="now"/> is the clock for AGE-like cells.
    /// </summary>
    public object?[] Cells(JsonObject obj, DateTimeOffset now) => cells(obj, now);

    /// <summary>Row conditions (only pods have them upstream), or null.</summary>
    public IReadOnlyList<TableRowCondition>? RowConditions(JsonObject obj) => conditions?.Invoke(obj);
}
