using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Printing;

/// <summary>
/// Writes the parts of a <c>meta.k8s.io/v1 Table</c> that come from the printers, straight to a
/// <see cref="Utf8JsonWriter"/> (no intermediate nodes; the server streams large lists), or as nodes for tests.
/// </summary>
public static class TableJson
{
    /// <summary>Writes the <c>columnDefinitions</c> array value (every field present, as upstream serializes it).</summary>
    public static void WriteColumnDefinitions(Utf8JsonWriter writer, IReadOnlyList<TableColumnDefinition> columns)
    {
        writer.WriteStartArray();
        foreach (var c in columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", c.Name);
            writer.WriteString("type", c.Type);
            writer.WriteString("format", c.Format);
            writer.WriteString("description", c.Description);
            writer.WriteNumber("priority", c.Priority);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a row's <c>cells</c> array value.</summary>
    public static void WriteCells(Utf8JsonWriter writer, IReadOnlyList<object?> cells)
    {
        writer.WriteStartArray();
        foreach (var cell in cells)
        {
            WriteCell(writer, cell);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a row's <c>conditions</c> array value.</summary>
    public static void WriteRowConditions(Utf8JsonWriter writer, IReadOnlyList<TableRowCondition> conditions)
    {
        writer.WriteStartArray();
        foreach (var c in conditions)
        {
            writer.WriteStartObject();
            writer.WriteString("type", c.Type);
            writer.WriteString("status", c.Status);
            writer.WriteString("reason", c.Reason);
            writer.WriteString("message", c.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The <c>columnDefinitions</c> as a node.</summary>
    public static JsonArray ColumnDefinitionsNode(IReadOnlyList<TableColumnDefinition> columns)
    {
        var array = new JsonArray();
        foreach (var c in columns)
        {
            array.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        return array;
    }

    /// <summary>A row's cells as a node.</summary>
    public static JsonArray CellsNode(IReadOnlyList<object?> cells)
    {
        var array = new JsonArray();
        foreach (var cell in cells)
        {
            array.Add(cell switch
            {
                null => null,
                string s => JsonValue.Create(s),
                long l => JsonValue.Create(l),
                int i => JsonValue.Create(i),
                bool b => JsonValue.Create(b),
                double d => JsonValue.Create(d),
                JsonNode n => n.DeepClone(),
                _ => JsonValue.Create(cell.ToString()),
            });
        }

        return array;
    }

    private static void WriteCell(Utf8JsonWriter writer, object? cell)
    {
        switch (cell)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case double d: writer.WriteNumberValue(d); break;
            case JsonNode n: n.WriteTo(writer); break;
            default: writer.WriteStringValue(cell.ToString()); break;
        }
    }
}
