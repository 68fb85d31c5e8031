using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.ApiServer.NodeJoin;
using Korral.ApiServer.Security;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.NodeJoin;

/// <summary>GET /cacerts and POST /v1-korral/node-credentials on a real server, over HTTPS without client certificates.</summary>
public sealed class NodeJoinEndpointTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private TestServer Server => fixture.Server;

    private NodeJoinToken Token => Server.Host.NodeToken;

    /// <summary>A client with no certificate (a node that has not joined), optionally sending <paramref name="authorization"/>.</summary>
    private ApiClient Anonymous(string? authorization = null)
    {
        var http = Server.NewHttpClient(null, HttpVersion.Version11);
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        return new ApiClient(http);
    }

    private static JsonObject Join(string name, params string[] addresses) =>
        new() { ["nodeName"] = name, ["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode)a)]) };

    private async Task<NodeCredentialsResponse> JoinAsync(string name, params string[] addresses)
    {
        var response = await Anonymous($"Bearer {Token.Secret}").PostAsync(NodeJoinEndpoint.CredentialsPath, Join(name, addresses));
        ApiAssert.Code(200, response);
        return JsonSerializer.Deserialize<NodeCredentialsResponse>(response.Bytes)!;
    }

    [Fact]
    public async Task Cacerts_serves_the_CA_as_stored_whose_hash_the_token_carries()
    {
        var response = await Anonymous().GetAsync(NodeJoinEndpoint.CaCertsPath);

        ApiAssert.Code(200, response);
        var stored = await File.ReadAllBytesAsync(Path.Combine(fixture.DataDir, "tls", "ca.crt"));
        Assert.Equal(stored, response.Bytes);
        Assert.Equal(NodeJoinToken.HashOf(response.Bytes), Token.CaHash);
        Assert.Equal(Token.Value, (await File.ReadAllTextAsync(Path.Combine(fixture.DataDir, NodeJoinToken.FileName))).Trim());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer ")]
    [InlineData("Basic c2VydmVyOndyb25n")]
    [InlineData("Bearer {full}")]       // the whole token is not the secret
    [InlineData("Bearer {secret}x")]
    public async Task Requests_without_the_token_secret_are_unauthorized(string? authorization)
    {
        authorization = authorization?.Replace("{full}", Token.Value, StringComparison.Ordinal).Replace("{secret}", Token.Secret, StringComparison.Ordinal);
        var response = await Anonymous(authorization).PostAsync(NodeJoinEndpoint.CredentialsPath, Join("intruder"));

        ApiAssert.Failure(response, 401, "Unauthorized", "Unauthorized");
        Assert.DoesNotContain(Token.Secret, Server.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_token_gets_kubelet_client_and_serving_certificates_from_the_cluster_CA()
    {
        var issued = await JoinAsync("worker-1", "192.0.2.10", "fd00::10");

        Assert.Equal(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(fixture.DataDir, "tls", "ca.crt"))), issued.CaCertificate);
        using var ca = X509Certificate2.CreateFromPem(issued.CaCertificate);
        Assert.Equal(Server.Host.Certificates.Authority.Thumbprint, ca.Thumbprint);

        using var client = X509Certificate2.CreateFromPem(issued.ClientCertificate, issued.ClientKey);
        Assert.True(client.HasPrivateKey);
        var user = Authenticator.FromCertificate(client);
        Assert.Equal("system:node:worker-1", user.Name);
        Assert.Contains("system:nodes", user.Groups);
        Assert.True(Server.Host.Certificates.Issued(client));
        Assert.Contains("1.3.6.1.5.5.7.3.2", Usages(client));

        using var serving = X509Certificate2.CreateFromPem(issued.ServingCertificate, issued.ServingKey);
        Assert.True(serving.HasPrivateKey);
        Assert.Equal("worker-1", serving.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(Server.Host.Certificates.Issued(serving));
        Assert.Contains("1.3.6.1.5.5.7.3.1", Usages(serving));
        var san = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost", "worker-1"], san.EnumerateDnsNames().Order(StringComparer.Ordinal));
        Assert.Equal(["127.0.0.1", "192.0.2.10", "fd00::10"], san.EnumerateIPAddresses().Select(a => a.ToString()).Order(StringComparer.Ordinal));

        var log = Server.LogText();
        Assert.Contains("node join: issued kubelet certificates to node worker-1", log, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Secret, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_issued_client_certificate_authenticates_to_the_API()
    {
        var issued = await JoinAsync("worker-2", "192.0.2.11");
        using var client = X509Certificate2.CreateFromPem(issued.ClientCertificate, issued.ClientKey);

        var nodes = await new ApiClient(Server.NewHttpClient(client, HttpVersion.Version11)).GetAsync("/api/v1/nodes");
        ApiAssert.Code(200, nodes);
        Assert.Equal("NodeList", (string?)nodes.Object["kind"]);
    }

    [Theory]
    [InlineData("""{"nodeName":"Worker_1"}""", "nodeName: Invalid value: \"Worker_1\": a lowercase RFC 1123 subdomain")]
    [InlineData("""{"nodeName":""}""", "nodeName: Required value")]
    [InlineData("""{"addresses":["192.0.2.1"]}""", "nodeName: Required value")]
    [InlineData("""{"nodeName":"w","addresses":["not-an-ip"]}""", "addresses: Invalid value: \"not-an-ip\"")]
    [InlineData("not json", "the body must be a JSON object")]
    public async Task Bad_requests_are_refused_with_the_reason(string body, string message)
    {
        var response = await Anonymous($"Bearer {Token.Secret}").SendAsync(HttpMethod.Post, NodeJoinEndpoint.CredentialsPath, Encoding.UTF8.GetBytes(body), ApiClient.Json);

        var status = ApiAssert.Failure(response, 400, "BadRequest");
        Assert.StartsWith(message, (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_POST_joins()
    {
        var response = await Anonymous($"Bearer {Token.Secret}").GetAsync(NodeJoinEndpoint.CredentialsPath);
        ApiAssert.Failure(response, 405, "MethodNotAllowed");
    }

    private static List<string?> Usages(X509Certificate2 cert) =>
        [.. cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value)];
}
