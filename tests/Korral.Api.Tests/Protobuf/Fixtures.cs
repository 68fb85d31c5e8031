using System.Text.Json.Nodes;

namespace Korral.Api.Tests.Protobuf;

/// <summary>Bodies captured from kubectl 1.33 (protobuf) and 1.31 (JSON) for the same commands, in Protobuf/Fixtures.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> s_dir = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "Korral.Api.Tests", "Protobuf", "Fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Korral.Api.Tests/Protobuf/Fixtures not found above " + AppContext.BaseDirectory);
    });

    public static byte[] Protobuf(string name) => Convert.FromHexString(File.ReadAllText(Path.Combine(s_dir.Value, name + ".pb.hex")).Trim());

    public static JsonObject KubectlJson(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(s_dir.Value, name + ".kubectl131.json")))!.AsObject();

    /// <summary>Hex with optional spaces, as written in docs/kubectl-compat.md.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    /// <summary>A copy without null-valued properties (Go's JSON writes "creationTimestamp": null; the decoder omits them).</summary>
    public static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var r = new JsonObject();
                foreach (var (k, v) in o)
                {
                    if (v != null)
                    {
                        r[k] = WithoutNulls(v);
                    }
                }

                return r;
            case JsonArray a:
                var arr = new JsonArray();
                foreach (var v in a)
                {
                    arr.Add(WithoutNulls(v));
                }

                return arr;
            default:
                return node?.DeepClone();
        }
    }
}
