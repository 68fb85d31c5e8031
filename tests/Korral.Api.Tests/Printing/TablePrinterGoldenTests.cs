using System.Text.Json.Nodes;
using Korral.Api.Printing;

namespace Korral.Api.Tests.Printing;

/// <summary>Golden tests: JSON objects in, the cells upstream prints out (see <see cref="GoldenTables"/>).</summary>
public class TablePrinterGoldenTests
{
    public static TheoryData<string> Files => [.. GoldenTables.Files()];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in GoldenTables.Files())
        {
            foreach (var item in GoldenTables.Load(file)["cases"]!.AsArray())
            {
                data.Add(file, item!["name"]!.GetValue<string>());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Columns_match_golden(string file)
    {
        var golden = GoldenTables.Load(file);
        var printer = TablePrinter.For(golden["group"]!.GetValue<string>(), golden["kind"]!.GetValue<string>());
        var actual = new JsonArray();
        foreach (var c in printer.Columns)
        {
            actual.Add(new JsonArray(c.Name, c.Type, c.Format, c.Priority));
        }

        AssertJsonEqual(golden["columns"], actual, $"{file}: columns");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cells_match_golden(string file, string caseName)
    {
        var golden = GoldenTables.Load(file);
        var now = DateTimeOffset.Parse(golden["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var item = golden["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == caseName)!;
        var printer = TablePrinter.For(golden["group"]!.GetValue<string>(), golden["kind"]!.GetValue<string>());

        var cells = printer.Cells(item["object"]!.AsObject(), now);

        Assert.Equal(printer.Columns.Count, cells.Length);
        AssertJsonEqual(item["cells"], TableJson.CellsNode(cells), $"{file}/{caseName}");
    }

    private static void AssertJsonEqual(JsonNode? expected, JsonNode? actual, string what)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"{what}\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
        }
    }
}
