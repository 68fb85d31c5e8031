using System.Text;
using Korral.ApiServer.NodeJoin;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.NodeJoin;

public sealed class NodeJoinTokenTests : IDisposable
{
    private static readonly byte[] CaPem = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
    private static readonly string CaHash = NodeJoinToken.HashOf(CaPem);

    private readonly string _dir = TempDirs.Create();

    public void Dispose() => TempDirs.Delete(_dir);

    private string TokenFile => Path.Combine(_dir, NodeJoinToken.FileName);

    [Fact]
    public void The_first_start_writes_a_k3s_secure_token_readable_by_the_owner_only()
    {
        var (token, written) = NodeJoinToken.LoadOrCreate(_dir, CaPem, null);

        Assert.True(written);
        Assert.Matches("^K10[0-9a-f]{64}::server:[0-9a-f]{32}$", token.Value);
        Assert.Equal(token.Value + "\n", File.ReadAllText(TokenFile));
        Assert.Equal($"K10{CaHash}::server:{token.Secret}", token.Value);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CaPem)), token.CaHash);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile));
        }

        Assert.DoesNotContain(token.Secret, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Later_starts_keep_the_token()
    {
        var (first, _) = NodeJoinToken.LoadOrCreate(_dir, CaPem, null);
        var (second, written) = NodeJoinToken.LoadOrCreate(_dir, CaPem, null);

        Assert.False(written);
        Assert.Equal(first.Value, second.Value);
    }

    [Fact]
    public void A_replaced_CA_rewrites_the_hash_and_keeps_the_secret()
    {
        var (first, _) = NodeJoinToken.LoadOrCreate(_dir, CaPem, null);
        var otherCa = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----");
        var (second, written) = NodeJoinToken.LoadOrCreate(_dir, otherCa, null);

        Assert.True(written);
        Assert.Equal(first.Secret, second.Secret);
        Assert.Equal(NodeJoinToken.HashOf(otherCa), second.CaHash);
        Assert.Equal(second.Value + "\n", File.ReadAllText(TokenFile));
    }

    [Theory]
    [InlineData("my-secret")]
    [InlineData("server:my-secret")]
    public void A_configured_token_replaces_the_stored_one(string configured)
    {
        NodeJoinToken.LoadOrCreate(_dir, CaPem, null);
        var (token, written) = NodeJoinToken.LoadOrCreate(_dir, CaPem, configured);

        Assert.True(written);
        Assert.Equal("my-secret", token.Secret);
        Assert.Equal($"K10{CaHash}::server:my-secret", File.ReadAllText(TokenFile).Trim());
    }

    [Fact]
    public void A_configured_full_token_must_carry_this_CA_hash()
    {
        var good = NodeJoinToken.LoadOrCreate(_dir, CaPem, $"K10{CaHash}::server:abc").Token;
        Assert.Equal("abc", good.Secret);

        var wrong = $"K10{new string('0', 64)}::server:abc";
        var error = Assert.Throws<ArgumentException>(() => NodeJoinToken.LoadOrCreate(_dir, CaPem, wrong));
        Assert.Contains("is not the hash of this server's CA", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("K10" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "::server:s3cret", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "s3cret")]
    [InlineData("K10" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" + "::node:s3cret", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "s3cret")]
    [InlineData("K10" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "::abcdef.0123456789abcdef", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "abcdef.0123456789abcdef")]
    [InlineData("s3cret", null, "s3cret")]
    [InlineData("server:s3cret", null, "s3cret")]
    public void Tokens_parse_in_secure_and_short_format(string text, string? hash, string secret)
    {
        Assert.True(NodeJoinToken.TryParse(text, out var parsedHash, out var parsedSecret));
        Assert.Equal(hash, parsedHash);
        Assert.Equal(secret, parsedSecret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("server:")]
    [InlineData("K10abc::server:s3cret")]                    // a hash that is not 64 hex digits
    [InlineData("K10" + "zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "::server:s3cret")]
    [InlineData("two words")]
    public void Malformed_tokens_are_refused(string text) =>
        Assert.False(NodeJoinToken.TryParse(text, out _, out _));

    [Fact]
    public void Only_the_secret_matches()
    {
        var token = NodeJoinToken.LoadOrCreate(_dir, CaPem, "s3cret").Token;
        Assert.True(token.Matches("s3cret"));
        Assert.False(token.Matches("s3cre"));
        Assert.False(token.Matches("s3cret "));
        Assert.False(token.Matches(token.Value));
        Assert.False(token.Matches(""));
    }
}
