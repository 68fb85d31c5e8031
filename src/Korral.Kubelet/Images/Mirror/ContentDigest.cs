using System.Security.Cryptography;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// Content digests as OCI writes them ("sha256:" and 64 lowercase hex digits). The store only holds sha256 content,
/// the algorithm every registry and containerd use by default.
/// </summary>
public static class ContentDigest
{
    public const string Sha256Prefix = "sha256:";

    private const int HexLength = 64;

    public static bool IsValid(string? digest) =>
        digest is not null && digest.Length == Sha256Prefix.Length + HexLength && digest.StartsWith(Sha256Prefix, StringComparison.Ordinal) &&
        digest.AsSpan(Sha256Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>The hex part of a valid digest (the blob's file name in an OCI layout).</summary>
    public static string Hex(string digest) =>
        IsValid(digest) ? digest[Sha256Prefix.Length..] : throw new FormatException($"invalid digest \"{digest}\": expected sha256: and 64 lowercase hex digits");

    public static string Of(ReadOnlySpan<byte> content) => Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The digest a finished <see cref="IncrementalHash"/> over SHA-256 gives.</summary>
    public static string From(IncrementalHash hash) => Sha256Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
}
