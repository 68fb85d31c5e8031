using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Printing;
using Xunit.Abstractions;

namespace Korral.Api.Tests.Printing;

public class TablePrinterTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Unknown_kinds_get_name_and_age()
    {
        Assert.False(TablePrinter.HasPrinter("example.com", "Widget"));
        Assert.Same(TablePrinter.Default, TablePrinter.For("example.com", "Widget"));
        Assert.Equal(["Name", "Age"], TablePrinter.Columns("example.com", "Widget").Select(c => c.Name));
    }

    [Fact]
    public void Group_is_part_of_the_key()
    {
        Assert.True(TablePrinter.HasPrinter("apps", "Deployment"));
        Assert.False(TablePrinter.HasPrinter("", "Deployment"));
        Assert.True(TablePrinter.HasPrinter("", "Event"));
        Assert.True(TablePrinter.HasPrinter("events.k8s.io", "Event"));
    }

    [Fact]
    public void Every_printer_names_its_first_name_column_and_fills_every_column()
    {
        var empty = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } };
        foreach (var (group, kind) in TablePrinter.Kinds)
        {
            var printer = TablePrinter.For(group, kind);
            Assert.Contains(printer.Columns, c => c.Format == "name");
            Assert.All(printer.Columns, c => Assert.Contains(c.Type, new[] { "string", "integer", "boolean", "date" }));
            Assert.All(printer.Columns, c => Assert.False(string.IsNullOrEmpty(c.Description)));
            Assert.Equal(printer.Columns.Count, printer.Cells(empty, Now).Length);
            Assert.Equal(printer.Columns.Count, printer.Cells(new JsonObject(), Now).Length);
        }
    }

    [Theory]
    [InlineData("Succeeded", "Succeeded", "The pod has completed successfully.")]
    [InlineData("Failed", "Failed", "The pod failed.")]
    public void Finished_pods_carry_a_completed_row_condition(string phase, string reason, string message)
    {
        var pod = new JsonObject { ["status"] = new JsonObject { ["phase"] = phase } };
        var condition = Assert.Single(TablePrinter.For("", "Pod").RowConditions(pod)!);
        Assert.Equal(new TableRowCondition("Completed", "True", reason, message), condition);
        Assert.Null(TablePrinter.For("", "Pod").RowConditions(new JsonObject()));
        Assert.Null(TablePrinter.For("", "Service").RowConditions(pod));
    }

    [Fact]
    public void Writes_columns_and_cells_as_table_json()
    {
        var printer = TablePrinter.For("", "ConfigMap");
        var obj = JsonNode.Parse("""{"metadata":{"name":"cfg","creationTimestamp":"2025-06-01T11:59:00Z"},"data":{"a":"1"}}""")!.AsObject();

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("columnDefinitions");
            TableJson.WriteColumnDefinitions(writer, printer.Columns);
            writer.WritePropertyName("cells");
            TableJson.WriteCells(writer, printer.Cells(obj, Now));
            writer.WritePropertyName("conditions");
            TableJson.WriteRowConditions(writer, [new TableRowCondition("Completed", "True", "Succeeded", "done")]);
            writer.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(
            """{"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0},""" +
            """{"name":"Data","type":"string","format":"","description":"Number of keys in data and binaryData.","priority":0},""" +
            """{"name":"Age","type":"string","format":"","description":"Time since the object was created.","priority":0}],""" +
            "\"cells\":[\"cfg\",1,\"60s\"],\"conditions\":[{\"type\":\"Completed\",\"status\":\"True\",\"reason\":\"Succeeded\",\"message\":\"done\"}]}",
            json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json)!["columnDefinitions"], TableJson.ColumnDefinitionsNode(printer.Columns)));
    }

    [Fact]
    public void Writes_every_cell_type()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            TableJson.WriteCells(writer, ["s", 5L, true, null, 2]);
        }

        Assert.Equal("""["s",5,true,null,2]""", Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("""["s",5,true,null,2]""", TableJson.CellsNode(["s", 5L, true, null, 2]).ToJsonString());
    }

    [Fact]
    public void Prints_ten_thousand_pods_quickly()
    {
        var pods = new List<JsonObject>(10_000);
        for (var i = 0; i < 10_000; i++)
        {
            var json = PodTemplate
                .Replace("#I", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("#N", (i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("#A", (i / 250).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("#B", (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("#R", (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            pods.Add(JsonNode.Parse(json)!.AsObject());
        }

        var printer = TablePrinter.For("", "Pod");
        Print(printer, pods); // warm up (also builds the lazily parsed JSON nodes)

        // Best of several runs, in process CPU time: wall time means little on a shared, loaded test machine.
        var best = TimeSpan.MaxValue;
        long bytes = 0;
        for (var run = 0; run < 5; run++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            bytes = Print(printer, pods);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            best = used < best ? used : best;
        }

        Assert.True(bytes > 0);
        output.WriteLine($"10,000 pods: best {best.TotalMilliseconds:F1} ms CPU, {bytes} bytes of cells");

        // The budget is 100 ms for the whole list (about 35 ms in a Release build); allow slack for Debug builds.
        Assert.True(best.TotalMilliseconds < 400, $"printing 10,000 pods took {best.TotalMilliseconds:F0} ms of CPU");
    }

    private const string PodTemplate = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-#I","namespace":"default","uid":"u-#I","labels":{"app":"web"},"creationTimestamp":"2025-06-01T11:00:00Z"},
         "spec":{"nodeName":"node-#N","containers":[{"name":"web","image":"nginx:1.27"},{"name":"log","image":"busybox"}]},
         "status":{"phase":"Running","podIP":"10.244.#A.#B","podIPs":[{"ip":"10.244.#A.#B"}],
                   "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
                   "containerStatuses":[{"name":"web","ready":true,"restartCount":#R,"state":{"running":{"startedAt":"2025-06-01T11:00:05Z"}},
                                         "lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-06-01T11:30:00Z"}}},
                                        {"name":"log","ready":true,"restartCount":0,"state":{"running":{}}}]}}
        """;

    private static long Print(ResourcePrinter printer, List<JsonObject> pods)
    {
        using var stream = new MemoryStream();
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartArray();
        foreach (var pod in pods)
        {
            TableJson.WriteCells(writer, printer.Cells(pod, Now));
        }

        writer.WriteEndArray();
        writer.Flush();
        return stream.Length;
    }
}
