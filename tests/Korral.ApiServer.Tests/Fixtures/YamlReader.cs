using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>
/// Reads a YAML response into a JSON tree for assertions, independently of the server's own YAML code. Scalars
/// stay strings: tests compare them as text.
/// </summary>
public static class YamlReader
{
    public static JsonNode? Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.Single(stream.Documents);
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "null" or "~" or "" ? null : JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
