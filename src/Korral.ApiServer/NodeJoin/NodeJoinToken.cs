using System.Security.Cryptography;
using System.Text;

namespace Korral.ApiServer.NodeJoin;

/// <summary>
/// The server's node join token, in k3s's secure format <c>K10&lt;CA hash&gt;::server:&lt;secret&gt;</c>: the CA hash
/// (SHA-256 of the CA certificate PEM as stored on disk, lowercase hex) lets a joining node check the server before it
/// sends the secret; the secret authenticates the node. Kept in <c>&lt;data dir&gt;/token</c> (mode 0600), created on
/// first start. Agents may also be given the secret alone (k3s's short format), trusting the CA on first use.
/// </summary>
public sealed class NodeJoinToken
{
    public const string Prefix = "K10";

    public const string FileName = "token";

    /// <summary>k3s's username for the server token (the credentials part is <c>user:password</c>).</summary>
    public const string User = "server";

    private readonly byte[] _secretHash;

    private NodeJoinToken(string caHash, string secret)
    {
        CaHash = caHash;
        Secret = secret;
        _secretHash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>SHA-256 of the CA certificate PEM, lowercase hex.</summary>
    public string CaHash { get; }

    /// <summary>The credentials agents present as <c>Authorization: Bearer &lt;secret&gt;</c>.</summary>
    public string Secret { get; }

    /// <summary>The full token, as written to the token file and given to agents.</summary>
    public string Value => $"{Prefix}{CaHash}::{User}:{Secret}";

    public override string ToString() => $"{Prefix}{CaHash}::{User}:<redacted>";

    /// <summary>The CA hash of a PEM as served at /cacerts and stored on disk.</summary>
    public static string HashOf(ReadOnlySpan<byte> caPem) => Convert.ToHexStringLower(SHA256.HashData(caPem));

    /// <summary>
    /// Reads <c>&lt;dataDir&gt;/token</c>, creating it with a random secret on first start. A <paramref name="configured"/>
    /// token (--token: the secret alone, or a full token whose hash must be this CA's) takes the file's place. The file
    /// is rewritten when its CA hash is not the current CA's (a CA replaced by hand) so that it always tells agents the
    /// truth. Returns whether the file was written.
    /// </summary>
    public static (NodeJoinToken Token, bool Written) LoadOrCreate(string dataDir, ReadOnlySpan<byte> caPem, string? configured)
    {
        var caHash = HashOf(caPem);
        var path = Path.Combine(dataDir, FileName);
        var stored = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        string secret;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!TryParse(configured.Trim(), out var hash, out secret))
            {
                throw new ArgumentException("--token: a node join token is K10<CA hash>::<user>:<secret>, K10<CA hash>::<secret> or the secret alone", nameof(configured));
            }

            if (hash is not null && !string.Equals(hash, caHash, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--token: the token's CA hash {hash} is not the hash of this server's CA ({caHash})", nameof(configured));
            }
        }
        else if (stored is null || !TryParse(stored, out _, out secret))
        {
            secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }

        var token = new NodeJoinToken(caHash, secret);
        if (stored == token.Value)
        {
            return (token, false);
        }

        Write(path, token.Value + "\n");
        return (token, true);
    }

    /// <summary>
    /// Splits a token into its CA hash (null for the short format) and secret: <c>K10&lt;hash&gt;::&lt;user&gt;:&lt;secret&gt;</c>,
    /// <c>K10&lt;hash&gt;::&lt;secret&gt;</c>, <c>&lt;user&gt;:&lt;secret&gt;</c> or <c>&lt;secret&gt;</c>.
    /// </summary>
    public static bool TryParse(string text, out string? caHash, out string secret)
    {
        caHash = null;
        secret = "";
        var credentials = text;
        if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.IndexOf("::", StringComparison.Ordinal) is var separator and > 0)
        {
            caHash = text[Prefix.Length..separator];
            if (caHash.Length != 64 || !caHash.All(char.IsAsciiHexDigit))
            {
                return false;
            }

            credentials = text[(separator + 2)..];
        }

        var colon = credentials.IndexOf(':');
        secret = colon >= 0 ? credentials[(colon + 1)..] : credentials;
        return secret.Length > 0 && !secret.Any(char.IsWhiteSpace);
    }

    /// <summary>Whether <paramref name="presented"/> is the secret; the time taken does not depend on how much of it matched.</summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _secretHash);

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.Delete(tmp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created owner-only, so the secret is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(tmp, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(text);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
