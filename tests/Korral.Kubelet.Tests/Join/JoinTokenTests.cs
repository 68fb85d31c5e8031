using Korral.ApiServer.NodeJoin;
using Korral.Kubelet.Join;

namespace Korral.Kubelet.Tests.Join;

public sealed class JoinTokenTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("K10" + Hash + "::server:s3cret", Hash, "s3cret")]
    [InlineData("K10" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" + "::node:s3cret", Hash, "s3cret")]
    [InlineData("K10" + Hash + "::abcdef.0123456789abcdef", Hash, "abcdef.0123456789abcdef")]
    [InlineData("  K10" + Hash + "::server:s3cret\n", Hash, "s3cret")]   // pasted from the token file
    [InlineData("s3cret", null, "s3cret")]
    [InlineData("server:s3cret", null, "s3cret")]
    public void Secure_and_short_tokens_parse(string text, string? hash, string secret)
    {
        var token = JoinToken.Parse(text);
        Assert.Equal(hash, token.CaHash);
        Assert.Equal(secret, token.Secret);
        Assert.Equal(hash is not null, token.IsSecure);
        Assert.DoesNotContain(secret, token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("server:")]
    [InlineData("K10abc::server:s3cret")]
    [InlineData("K10" + "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "::server:s3cret")]
    [InlineData("two words")]
    public void Malformed_tokens_are_refused(string text)
    {
        Assert.False(JoinToken.TryParse(text, out _));
        Assert.Throws<FormatException>(() => JoinToken.Parse(text));
    }

    [Fact]
    public void The_agent_reads_the_token_the_server_writes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-kubelet-join-tests", Guid.NewGuid().ToString("n"));
        try
        {
            var ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"u8.ToArray();
            var (server, _) = NodeJoinToken.LoadOrCreate(dir, ca, null);
            var agent = JoinToken.Parse(File.ReadAllText(Path.Combine(dir, NodeJoinToken.FileName)));

            Assert.Equal(server.CaHash, agent.CaHash);
            Assert.Equal(server.Secret, agent.Secret);
            Assert.True(server.Matches(agent.Secret));
            Assert.True(server.Matches(JoinToken.Parse(server.Secret).Secret));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
