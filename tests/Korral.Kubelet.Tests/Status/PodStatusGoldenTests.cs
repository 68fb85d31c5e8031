using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Kubelet.Status;

namespace Korral.Kubelet.Tests.Status;

/// <summary>
/// Golden tests: each case of <see cref="PodStatusGoldenCases"/> built, serialized as the API server would store it, and
/// compared with <c>Golden/&lt;case&gt;.json</c>. Set KORRAL_UPDATE_GOLDEN=1 to rewrite the files (then read the diff:
/// the files are the specification).
/// </summary>
public sealed class PodStatusGoldenTests
{
    // Quotes and angle brackets as they are, for readable files; the comparison is on parsed JSON.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> CaseNames => [.. PodStatusGoldenCases.Names];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void StatusMatchesGolden(string name)
    {
        var input = PodStatusGoldenCases.Get(name);
        var status = PodStatusBuilder.Build(input.Pod, input.State, input.Context);
        var actual = KubeJson.ToNode(status)!.ToJsonString(Indented) + "\n";

        var path = Path.Combine(GoldenDirectory(), name + ".json");
        if (Environment.GetEnvironmentVariable("KORRAL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"no golden file {path}");
        var expected = JsonNode.Parse(File.ReadAllText(path));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(actual)), $"{name}: expected\n{expected!.ToJsonString(Indented)}\nactual\n{actual}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BuildingTwiceGivesNoUpdate(string name)
    {
        // A status written and read back, then computed again from the same runtime state, is not written again.
        var input = PodStatusGoldenCases.Get(name);
        var first = PodStatusBuilder.Build(input.Pod, input.State, input.Context);
        var pod = KubeJson.FromNode<Korral.Api.Models.CoreV1.Pod>(KubeJson.ToNode(input.Pod))!;
        pod.Status = KubeJson.FromNode<Korral.Api.Models.CoreV1.PodStatus>(KubeJson.ToNode(first));
        var second = PodStatusBuilder.Build(pod, input.State, input.Context with { Now = input.Context.Now.AddMinutes(1), Previous = null });

        Assert.False(PodStatusComparison.NeedsUpdate(pod, second));
        Assert.Null(PodStatusPatch.Create(pod, second));
    }

    private static string GoldenDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");
}
