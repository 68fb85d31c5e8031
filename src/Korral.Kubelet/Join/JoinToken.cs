namespace Korral.Kubelet.Join;

/// <summary>
/// A node join token as agents are given it (k3s's formats): secure <c>K10&lt;CA hash&gt;::&lt;user&gt;:&lt;secret&gt;</c>
/// or <c>K10&lt;CA hash&gt;::&lt;secret&gt;</c>, where the hash is the SHA-256 (hex) of the cluster CA PEM the server
/// serves at /cacerts; or short, the secret alone (optionally <c>&lt;user&gt;:&lt;secret&gt;</c>), which trusts the
/// server's CA on first use. The secret is what the server checks.
/// </summary>
public sealed record JoinToken(string? CaHash, string Secret)
{
    public const string Prefix = "K10";

    /// <summary>Whether the token pins the cluster CA (secure format).</summary>
    public bool IsSecure => CaHash is not null;

    /// <summary>Never the secret: tokens end up in log lines by accident otherwise.</summary>
    public override string ToString() => IsSecure ? $"{Prefix}{CaHash}::<redacted>" : "<redacted>";

    public static JoinToken Parse(string text) =>
        TryParse(text, out var token) ? token : throw new FormatException(
            "a node join token is K10<sha256 of the CA PEM>::<user>:<secret>, K10<sha256>::<secret>, or the secret alone");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JoinToken? token)
    {
        token = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string? hash = null;
        var credentials = text;
        if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.IndexOf("::", StringComparison.Ordinal) is var separator and > 0)
        {
            hash = text[Prefix.Length..separator];
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            {
                return false;
            }

            credentials = text[(separator + 2)..];
        }

        var colon = credentials.IndexOf(':');
        var secret = colon >= 0 ? credentials[(colon + 1)..] : credentials;
        if (secret.Length == 0 || secret.Any(char.IsWhiteSpace))
        {
            return false;
        }

        token = new JoinToken(hash?.ToLowerInvariant(), secret);
        return true;
    }
}
