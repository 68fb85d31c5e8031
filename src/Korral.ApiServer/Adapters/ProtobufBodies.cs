using System.Text.Json.Nodes;
using Korral.Api.Protobuf;

namespace Korral.ApiServer.Adapters;

/// <summary>Request bodies in the Kubernetes protobuf envelope (kubectl 1.32+ sends them for typed creates).</summary>
public static class ProtobufBodies
{
    public static JsonObject Decode(ReadOnlyMemory<byte> body) => ProtobufEnvelope.Decode(body.Span);
}
