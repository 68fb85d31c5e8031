using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> label: FNV-32a over the pod template (plus the collision count as 8 little-endian
/// bytes, as upstream), its decimal value rendered in upstream's "safe encode" alphabet (no vowels, no 0/1/3, so that
/// it never spells words). Upstream hashes Go's printed form of the struct; we hash the template's JSON with sorted
/// keys — stable and collision-handled the same way, but not byte-equal to upstream's value.
/// </summary>
public static class PodTemplateHash
{
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(PodTemplateSpec template, int? collisionCount)
    {
        var node = JsonNode.Parse(KubeJson.SerializeToUtf8Bytes(template));
        var canonical = new StringBuilder();
        Write(node, canonical);
        var hash = Fnv32a(2166136261u, Encoding.UTF8.GetBytes(canonical.ToString()));
        if (collisionCount is { } c)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)c));
            hash = Fnv32a(hash, bytes);
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    public static string SafeEncode(string s)
    {
        var chars = new char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            chars[i] = Alphabet[s[i] % Alphabet.Length];
        }

        return new string(chars);
    }

    private static uint Fnv32a(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash ^= b;
            hash = unchecked(hash * 16777619u);
        }

        return hash;
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case JsonObject o:
                sb.Append('{');
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(k).Append(':');
                    Write(v, sb);
                    sb.Append(',');
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                foreach (var v in a)
                {
                    Write(v, sb);
                    sb.Append(',');
                }

                sb.Append(']');
                break;
            case null:
                sb.Append("null");
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}
