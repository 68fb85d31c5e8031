using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.Protobuf;

/// <summary>
/// Decodes request bodies sent as <c>application/vnd.kubernetes.protobuf</c> (kubectl ≥ 1.32 for typed-client writes):
/// the magic "k8s\0" followed by a runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType},
/// where raw is the object in its k8s.io/api generated.proto encoding. The result is the JSON object kubectl would have sent
/// (see <see cref="ProtobufDecoder"/> for the presence rule), with apiVersion and kind first.
/// </summary>
public static class ProtobufEnvelope
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>"k8s\0".</summary>
    public static ReadOnlySpan<byte> Magic => [0x6b, 0x38, 0x73, 0x00];

    public static bool HasMagic(ReadOnlySpan<byte> body) => body.StartsWith(Magic);

    /// <summary>Decodes an enveloped object. Throws <see cref="ProtobufFormatException"/> on malformed input and
    /// <see cref="ProtobufUnsupportedKindException"/> when the kind has no known protobuf message.</summary>
    /// <remarks>The result is re-parsed so that it behaves exactly like a parsed JSON body (numbers read as any numeric type).</remarks>
    public static JsonObject Decode(ReadOnlySpan<byte> body) => ProtobufDecoder.AsParsedJson(Decode(body, 0));

    /// <summary>The protobuf message for a kind, e.g. ("apps/v1", "Deployment") → "k8s.io.api.apps.v1.Deployment", or null.</summary>
    public static ProtoMessage? FindMessage(string apiVersion, string kind)
    {
        var gvk = GroupVersionKind.FromApiVersion(apiVersion, kind);
        if (gvk.Version.Length == 0 || kind.Length == 0)
        {
            return null;
        }

        var m = ProtoCatalog.Find(PackageOf(gvk.Group, gvk.Version) + "." + kind);
        if (m == null || m.Special != ProtoSpecial.None)
        {
            // Options and Status kinds that live in meta/v1 but are sent with any group (DeleteOptions in an Eviction, Status…).
            m = ProtoCatalog.Find("k8s.io.apimachinery.pkg.apis.meta.v1." + kind);
        }

        return m is { Special: ProtoSpecial.None } ? m : null;
    }

    /// <summary>The proto package of an API group: "" → k8s.io.api.core.v1, "apps" → k8s.io.api.apps.v1,
    /// "networking.k8s.io" → k8s.io.api.networking.v1 (the first label of a dotted group).</summary>
    public static string PackageOf(string group, string version)
    {
        switch (group)
        {
            case "":
                return "k8s.io.api.core." + version;
            case "meta.k8s.io":
                return "k8s.io.apimachinery.pkg.apis.meta." + version;
            case "internal.apiserver.k8s.io":
                return "k8s.io.api.apiserverinternal." + version;
            case "apiextensions.k8s.io":
                return "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions." + version;
            case "apiregistration.k8s.io":
                return "k8s.io.kube_aggregator.pkg.apis.apiregistration." + version;
        }

        var dot = group.IndexOf('.');
        return "k8s.io.api." + (dot < 0 ? group : group[..dot]) + "." + version;
    }

    internal static JsonObject Decode(ReadOnlySpan<byte> body, int depth)
    {
        if (!HasMagic(body))
        {
            throw new ProtobufFormatException("the body does not start with the Kubernetes protobuf magic 6b 38 73 00");
        }

        if (depth > ProtobufDecoder.MaxDepth)
        {
            throw new ProtobufFormatException("protobuf envelopes nested too deeply");
        }

        string apiVersion = "", kind = "", contentEncoding = "", contentType = "";
        ReadOnlySpan<byte> raw = default;
        var reader = new ProtoReader(body[Magic.Length..]);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            if (wireType != ProtoReader.WireLength)
            {
                reader.Skip(wireType);
                continue;
            }

            switch (number)
            {
                case 1:
                    var typeMeta = reader.ReadLengthDelimited();
                    apiVersion = ProtobufDecoder.ReadStringField(typeMeta, 1) ?? "";
                    kind = ProtobufDecoder.ReadStringField(typeMeta, 2) ?? "";
                    break;
                case 2:
                    raw = reader.ReadLengthDelimited();
                    break;
                case 3:
                    contentEncoding = ProtobufDecoder.Utf8(reader.ReadLengthDelimited());
                    break;
                case 4:
                    contentType = ProtobufDecoder.Utf8(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (contentEncoding.Length != 0)
        {
            throw new ProtobufFormatException($"unsupported protobuf contentEncoding \"{contentEncoding}\"");
        }

        JsonObject obj;
        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            obj = ProtobufDecoder.ParseJson(raw) as JsonObject ?? throw new ProtobufFormatException("embedded JSON is not an object");
            obj.Remove("apiVersion");
            obj.Remove("kind");
        }
        else
        {
            if (contentType.Length != 0 && !contentType.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase))
            {
                throw new ProtobufFormatException($"unsupported embedded contentType \"{contentType}\"");
            }

            var message = FindMessage(apiVersion, kind) ?? throw new ProtobufUnsupportedKindException(apiVersion, kind);
            obj = ProtobufDecoder.DecodeObject(message, raw, depth + 1);
        }

        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (key, value) in obj.ToList())
        {
            obj.Remove(key);
            result[key] = value;
        }

        return result;
    }
}
