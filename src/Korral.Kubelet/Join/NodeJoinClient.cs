using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Selectors;

namespace Korral.Kubelet.Join;

/// <summary>
/// Joins a node to a cluster as a k3s agent does: fetch the CA from <c>/cacerts</c> without verifying the server (there
/// is nothing to verify it against yet), check it against the token's CA hash (secure token) or trust it on first use
/// (short token, with a warning), then — over a connection verified against that CA only — present the token secret at
/// <c>POST /v1-korral/node-credentials</c> for the kubelet's client and serving certificates. The secret is never sent
/// before the server is verified, and never logged.
/// </summary>
public sealed class NodeJoinClient(Action<string>? log = null, TimeProvider? time = null)
{
    public const string CaCertsPath = "/cacerts";

    public const string CredentialsPath = "/v1-korral/node-credentials";

    private readonly Action<string> _log = log ?? (_ => { });
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>A CA bundle or a set of node certificates is a few kilobytes: anything past this is not a korral server.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>How long each of the two requests may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The stored credentials in <paramref name="pkiDirectory"/> when they still fit this node and token
    /// (<see cref="NodeCredentialStore.TryLoad"/>); otherwise joins and stores what it got.
    /// </summary>
    public async Task<NodeCredentials> LoadOrJoinAsync(Uri serverUrl, string token, string nodeName, IReadOnlyList<IPAddress> addresses, string pkiDirectory,
        CancellationToken cancellationToken)
    {
        var store = new NodeCredentialStore(pkiDirectory);
        if (store.TryLoad(JoinToken.Parse(token), nodeName, addresses, _time.GetUtcNow(), out var why) is { } stored)
        {
            _log($"node join: using the credentials of node {nodeName} in {pkiDirectory}");
            return stored;
        }

        _log($"node join: joining {serverUrl} as node {nodeName} ({why} in {pkiDirectory})");
        var joined = await JoinAsync(serverUrl, token, nodeName, addresses, cancellationToken);
        store.Save(joined);
        return joined;
    }

    /// <summary>
    /// Joins: returns the CA and the kubelet's certificates with their keys. Throws <see cref="NodeJoinException"/> when
    /// the server is not the token's cluster or refuses the token, <see cref="ArgumentException"/> for a bad token or
    /// node name, and <see cref="HttpRequestException"/> when the server cannot be reached (worth retrying).
    /// </summary>
    public async Task<NodeCredentials> JoinAsync(Uri serverUrl, string token, string nodeName, IReadOnlyList<IPAddress> addresses,
        CancellationToken cancellationToken)
    {
        if (!JoinToken.TryParse(token, out var parsed))
        {
            throw new ArgumentException("the join token is not K10<CA hash>::<user>:<secret>, K10<CA hash>::<secret> or a secret", nameof(token));
        }

        if (LabelValidation.Dns1123SubdomainErrors(nodeName) is { Count: > 0 } errors)
        {
            throw new ArgumentException($"node name \"{nodeName}\": {string.Join("; ", errors)}", nameof(nodeName));
        }

        var caPem = await FetchAuthorityAsync(serverUrl, cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(caPem));
        if (parsed.CaHash is { } pinned)
        {
            if (!string.Equals(hash, pinned, StringComparison.Ordinal))
            {
                throw new NodeJoinException(
                    $"the CA certificate {serverUrl} serves (sha256 {hash}) is not the one the token names ({pinned}): not sending the token to it");
            }
        }
        else
        {
            _log($"node join: warning: the token has no CA hash (short format), so the CA {serverUrl} served (sha256 {hash}) is trusted on first use; " +
                 "use the full K10… token from the server's token file to have the server checked");
        }

        var caText = Encoding.UTF8.GetString(caPem);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(caText);
        }
        catch (CryptographicException e)
        {
            throw new NodeJoinException($"{new Uri(serverUrl, CaCertsPath)} did not hold a PEM certificate", e);
        }

        if (authorities.Count == 0)
        {
            throw new NodeJoinException($"{new Uri(serverUrl, CaCertsPath)} did not hold a PEM certificate");
        }

        try
        {
            var answer = await RequestCredentialsAsync(serverUrl, parsed.Secret, nodeName, addresses, authorities, cancellationToken);
            var credentials = Decode(answer, caText, authorities);
            _log($"node join: joined {serverUrl} as node {nodeName}");
            return credentials;
        }
        finally
        {
            foreach (var ca in authorities)
            {
                ca.Dispose();
            }
        }
    }

    private async Task<byte[]> FetchAuthorityAsync(Uri serverUrl, CancellationToken cancellationToken)
    {
        // Nothing is known about the server yet: its certificate cannot be checked, so nothing secret goes over this
        // connection. What comes back is checked against the token's hash before it is trusted.
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var http = new HttpClient(handler) { Timeout = RequestTimeout, MaxResponseContentBufferSize = MaxResponseBytes };
        using var response = await http.GetAsync(new Uri(serverUrl, CaCertsPath), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new NodeJoinException($"GET {new Uri(serverUrl, CaCertsPath)} answered {(int)response.StatusCode} {response.ReasonPhrase}: is this a korral server?");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<JsonObject> RequestCredentialsAsync(Uri serverUrl, string secret, string nodeName, IReadOnlyList<IPAddress> addresses,
        X509Certificate2Collection authorities, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null &&
                    (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0 &&
                    IssuedByCluster(certificate, authorities),
            },
        };
        using var http = new HttpClient(handler) { Timeout = RequestTimeout, MaxResponseContentBufferSize = MaxResponseBytes };
        var body = new JsonObject
        {
            ["nodeName"] = nodeName,
            ["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode)a.ToString())]),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(serverUrl, CredentialsPath))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new NodeJoinException($"{serverUrl} presented a serving certificate its own CA did not issue (or not for this address)", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new NodeJoinException($"{serverUrl} refused the join token (401 Unauthorized)");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new NodeJoinException($"POST {new Uri(serverUrl, CredentialsPath)} answered {(int)response.StatusCode}: {Message(text)}");
            }

            return JsonNode.Parse(text) as JsonObject ?? throw new NodeJoinException($"{new Uri(serverUrl, CredentialsPath)} answered something other than a JSON object");
        }
    }

    private static NodeCredentials Decode(JsonObject answer, string caText, X509Certificate2Collection authorities)
    {
        string Field(string name) => (string?)answer[name] ?? throw new NodeJoinException($"the node credentials lack {name}");

        if (!string.Equals(Field("caCertificate").Trim(), caText.Trim(), StringComparison.Ordinal))
        {
            throw new NodeJoinException("the server answered with another CA than the one it serves at /cacerts");
        }

        X509Certificate2? authority = null, client = null, serving = null;
        try
        {
            authority = X509Certificate2.CreateFromPem(caText);
            client = X509Certificate2.CreateFromPem(Field("clientCertificate"), Field("clientKey"));
            serving = X509Certificate2.CreateFromPem(Field("servingCertificate"), Field("servingKey"));
            if (!CertificateChains.IssuedBy(client, authorities) || !CertificateChains.IssuedBy(serving, authorities))
            {
                throw new NodeJoinException("the server answered with certificates its CA did not issue");
            }

            var credentials = new NodeCredentials(authority, client, serving, caText);
            authority = client = serving = null;
            return credentials;
        }
        catch (CryptographicException e)
        {
            throw new NodeJoinException($"the node credentials do not decode: {e.Message}", e);
        }
        finally
        {
            authority?.Dispose();
            client?.Dispose();
            serving?.Dispose();
        }
    }

    private static bool IssuedByCluster(X509Certificate certificate, X509Certificate2Collection authorities)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return CertificateChains.IssuedBy(leaf, authorities);
    }

    /// <summary>The message of a metav1.Status body, or the body itself.</summary>
    private static string Message(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject status && (string?)status["message"] is { } message)
            {
                return message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return body.Length > 200 ? body[..200] : body;
    }
}
