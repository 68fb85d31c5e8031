using System.Text.Json.Nodes;
using Korral.Api.Protobuf;

namespace Korral.Api.Tests.Protobuf;

/// <summary>Real kubectl 1.33 protobuf bodies decode to the same object kubectl 1.31 sends as JSON for the same command.</summary>
public class KubectlFixtureTests
{
    [Theory]
    [InlineData("configmap")]
    [InlineData("secret")]
    [InlineData("deployment")]
    [InlineData("deployment-zero")]
    [InlineData("namespace")]
    [InlineData("service-clusterip")]
    [InlineData("job")]
    [InlineData("tokenrequest")]
    [InlineData("cronjob")]
    [InlineData("serviceaccount")]
    [InlineData("pdb")]
    [InlineData("resourcequota")]
    [InlineData("ingress")]
    [InlineData("role")]
    [InlineData("priorityclass")]
    public void DecodesLikeKubectlJson(string name)
    {
        var body = Fixtures.Protobuf(name);
        Assert.True(ProtobufEnvelope.HasMagic(body));
        var decoded = ProtobufEnvelope.Decode(body);
        var expected = Fixtures.WithoutNulls(Fixtures.KubectlJson(name))!;
        Assert.True(JsonNode.DeepEquals(expected, decoded), $"expected {expected.ToJsonString()}\n  actual {decoded.ToJsonString()}");
    }
}
