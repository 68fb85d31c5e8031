using System.Security.Cryptography;

namespace Korral.ApiServer.Discovery;

/// <summary>Stable content hashes for precomputed documents, in upstream's style (SHA-512, upper-case hex).</summary>
internal static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA512.HashData(content));

    public static string QuotedETag(string hash) => "\"" + hash + "\"";
}
