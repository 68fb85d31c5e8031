using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Korral.Api.Printing;
using Korral.Api.Resources;
using Korral.ApiServer.Serialization;

namespace Korral.ApiServer.Adapters;

/// <summary>Table rows with upstream's columns per kind, over Korral.Api's printers.</summary>
public sealed class TableConverter : ITableConverter
{
    private readonly ConcurrentDictionary<(string, string), JsonArray> _columns = new();

    public JsonArray ColumnDefinitions(ResourceInfo resource) =>
        (JsonArray)_columns.GetOrAdd((resource.Group, resource.Kind), k => TableJson.ColumnDefinitionsNode(TablePrinter.Columns(k.Item1, k.Item2)))
            .DeepClone();

    public JsonArray Cells(ResourceInfo resource, JsonObject obj, DateTimeOffset now) =>
        TableJson.CellsNode(TablePrinter.Cells(resource.Group, resource.Kind, obj, now));

    public JsonArray? Conditions(ResourceInfo resource, JsonObject obj)
    {
        if (TablePrinter.For(resource.Group, resource.Kind).RowConditions(obj) is not { Count: > 0 } conditions)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var c in conditions)
        {
            array.Add(new JsonObject { ["type"] = c.Type, ["status"] = c.Status, ["reason"] = c.Reason, ["message"] = c.Message });
        }

        return array;
    }
}
