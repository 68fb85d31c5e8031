using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Schema;

namespace Korral.Api.Tests.Defaulting;

/// <summary>
/// Golden cases: <c>Golden/&lt;case&gt;.input.json</c> defaulted as on create (scheme defaults, then create-time
/// settings) must equal <c>Golden/&lt;case&gt;.expected.json</c>. Set KORRAL_UPDATE_GOLDEN=1 to rewrite the expected files.
/// </summary>
public class GoldenDefaultingTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in CaseNames())
        {
            data.Add(name);
        }

        return data;
    }

    private static IEnumerable<string> CaseNames() =>
        Directory.GetFiles(GoldenDirectory(), "*.input.json").Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f)[..^".input.json".Length]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultsMatchGolden(string name)
    {
        var dir = GoldenDirectory();
        var obj = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, name + ".input.json")))!.AsObject();
        var gvk = GroupVersionKind.FromApiVersion((string)obj["apiVersion"]!, (string)obj["kind"]!);
        ObjectDefaulterRegistry.Default.ApplyDefaults(obj, gvk.Group, gvk.Kind);
        ObjectDefaulterRegistry.Default.PrepareForCreate(obj, gvk.Group, gvk.Kind);

        var expectedPath = Path.Combine(dir, name + ".expected.json");
        var actualText = obj.ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("KORRAL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, actualText);
        }

        Assert.True(File.Exists(expectedPath), $"missing {expectedPath}; run with KORRAL_UPDATE_GOLDEN=1 to create it");
        var expected = JsonNode.Parse(File.ReadAllText(expectedPath));
        Assert.True(JsonNode.DeepEquals(expected, obj), $"{name}: defaulted object differs from golden file\n{actualText}");
    }

    [Fact]
    public void DefaultingIsIdempotent()
    {
        foreach (var name in CaseNames())
        {
            var obj = JsonNode.Parse(File.ReadAllText(Path.Combine(GoldenDirectory(), name + ".expected.json")))!.AsObject();
            var gvk = GroupVersionKind.FromApiVersion((string)obj["apiVersion"]!, (string)obj["kind"]!);
            var again = obj.DeepClone().AsObject();
            ObjectDefaulterRegistry.Default.ApplyDefaults(again, gvk.Group, gvk.Kind);
            Assert.True(JsonNode.DeepEquals(obj, again), $"{name}: defaulting a defaulted object changed it\n{again.ToJsonString(Indented)}");
        }
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
