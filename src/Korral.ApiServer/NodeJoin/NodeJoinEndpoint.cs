using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Korral.Api.Selectors;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Http;
using Korral.ApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.NodeJoin;

/// <summary>
/// How agents join, after k3s, on the API server's port outside the Kubernetes paths:
/// <list type="bullet">
/// <item><c>GET /cacerts</c>, open to everyone: the cluster CA PEM exactly as stored, so that a node holding a secure
/// token can check its hash before trusting the server.</item>
/// <item><c>POST /v1-korral/node-credentials</c> with <c>Authorization: Bearer &lt;token secret&gt;</c> and
/// <see cref="NodeCredentialsRequest"/>: a kubelet client certificate and a serving certificate issued from the cluster
/// CA (<see cref="NodeCredentialsResponse"/>). Anything else is 401.</item>
/// </list>
/// Neither the token nor a key is ever logged.
/// </summary>
public sealed class NodeJoinEndpoint(ClusterCertificates certificates, ReadOnlyMemory<byte> caPem, NodeJoinToken token, TimeProvider time, Action<string> log)
{
    public const string CaCertsPath = "/cacerts";

    public const string CredentialsPath = "/v1-korral/node-credentials";

    /// <summary>A request names one node and a handful of addresses: anything bigger is not a join.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    public const int MaxAddresses = 64;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool Handles(string path) => path is CaCertsPath or CredentialsPath;

    public Task HandleAsync(HttpContext context, CancellationToken cancellationToken) =>
        context.Request.Path.Value == CaCertsPath ? CaCertsAsync(context, cancellationToken) : CredentialsAsync(context, cancellationToken);

    private Task CaCertsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw MethodNotAllowed(context, "GET");
        }

        return Responses.WriteBytesAsync(context, 200, caPem, "application/x-pem-file", cancellationToken);
    }

    private async Task CredentialsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw MethodNotAllowed(context, "POST");
        }

        var remote = context.Connection.RemoteIpAddress;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !token.Matches(header["Bearer ".Length..].Trim()))
        {
            log($"node join: refused a request from {remote}: {(header.Length == 0 ? "no credentials" : "wrong token")}");
            throw ApiErrors.Unauthorized();
        }

        var request = await ReadRequestAsync(context, cancellationToken);
        var name = request.NodeName ?? "";
        if (name.Length == 0)
        {
            throw ApiErrors.BadRequest("nodeName: Required value");
        }

        if (LabelValidation.Dns1123SubdomainErrors(name) is { Count: > 0 } errors)
        {
            throw ApiErrors.BadRequest($"nodeName: Invalid value: \"{name}\": {string.Join("; ", errors)}");
        }

        var addresses = new List<IPAddress>();
        foreach (var text in request.Addresses ?? [])
        {
            addresses.Add(IPAddress.TryParse(text, out var ip) ? ip : throw ApiErrors.BadRequest($"addresses: Invalid value: \"{text}\": must be a valid IP address"));
        }

        if (addresses.Count > MaxAddresses)
        {
            throw ApiErrors.BadRequest($"addresses: Too many: {addresses.Count}: must have at most {MaxAddresses} items");
        }

        var response = Issue(name, addresses);
        context.Response.Headers.CacheControl = "no-store";
        await Responses.WriteBytesAsync(context, 200, JsonSerializer.SerializeToUtf8Bytes(response, Json), Responses.JsonContentType, cancellationToken);
        log($"node join: issued kubelet certificates to node {name} ({remote})");
    }

    /// <summary>k3s's pair: client CN=system:node:&lt;name&gt;, O=system:nodes; serving CN=&lt;name&gt; for the name, its addresses and loopback.</summary>
    private NodeCredentialsResponse Issue(string name, IReadOnlyList<IPAddress> addresses)
    {
        var now = time.GetUtcNow();
        using var client = certificates.IssueClient($"system:node:{name}", ["system:nodes"], now);
        using var serving = certificates.IssueServing(name, [name, "localhost"], [.. addresses, IPAddress.Loopback], now);
        return new NodeCredentialsResponse
        {
            CaCertificate = System.Text.Encoding.UTF8.GetString(caPem.Span),
            ClientCertificate = client.ExportCertificatePem(),
            ClientKey = KeyPem(client),
            ServingCertificate = serving.ExportCertificatePem(),
            ServingKey = KeyPem(serving),
        };
    }

    private static string KeyPem(X509Certificate2 cert)
    {
        using var key = cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("an issued certificate has no ECDSA key");
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static async Task<NodeCredentialsRequest> ReadRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxRequestBytes)
        {
            throw ApiErrors.RequestEntityTooLarge($"a node credentials request is at most {MaxRequestBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
            {
                throw ApiErrors.RequestEntityTooLarge($"a node credentials request is at most {MaxRequestBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonSerializer.Deserialize<NodeCredentialsRequest>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json)
                ?? throw ApiErrors.BadRequest("the body must be a JSON object with nodeName and addresses");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the body must be a JSON object with nodeName and addresses: {e.Message}");
        }
    }

    private static ApiException MethodNotAllowed(HttpContext context, string allowed)
    {
        context.Response.Headers.Allow = allowed;
        return new ApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({allowed} only)");
    }
}
