using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Security;

/// <summary>
/// Authenticates requests by client certificate (issued by the cluster CA: user = CN, groups = O) or by bearer token
/// (from the static token list). Anything else is anonymous, which only the health and version endpoints accept.
/// </summary>
public sealed class Authenticator(ClusterCertificates certificates, IReadOnlyDictionary<string, UserInfo> tokens)
{
    private const int MaxRememberedCertificates = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, UserInfo?> _verified = new(StringComparer.Ordinal);

    private readonly Dictionary<string, UserInfo> _tokenHashes =
        tokens.ToDictionary(t => Hash(t.Key), t => t.Value, StringComparer.Ordinal);

    public UserInfo Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            // Tokens are compared by hash so that the lookup time does not depend on how much of a token matched.
            if (_tokenHashes.TryGetValue(Hash(token), out var user))
            {
                return user;
            }

            return UserInfo.Anonymous;
        }

        if (context.Connection.ClientCertificate is { } cert)
        {
            return FromClientCertificate(cert) ?? UserInfo.Anonymous;
        }

        return UserInfo.Anonymous;
    }

    /// <summary>
    /// The user of a client certificate issued by the cluster CA, or null. Building the chain costs more CPU than
    /// serving a GET, and a connection presents the same certificate on every request, so verdicts are remembered by
    /// certificate hash (bounded; the validity period is still checked on each request).
    /// </summary>
    private UserInfo? FromClientCertificate(X509Certificate2 cert)
    {
        var now = DateTime.UtcNow;
        if (now < cert.NotBefore.ToUniversalTime() || now > cert.NotAfter.ToUniversalTime())
        {
            return null;
        }

        var hash = cert.GetCertHashString(HashAlgorithmName.SHA256);
        if (_verified.TryGetValue(hash, out var known))
        {
            return known;
        }

        var user = certificates.Issued(cert) ? FromCertificate(cert) : null;
        if (_verified.Count >= MaxRememberedCertificates)
        {
            _verified.Clear();
        }

        _verified[hash] = user;
        return user;
    }

    public static UserInfo FromCertificate(X509Certificate2 cert)
    {
        string? name = null;
        var groups = new List<string>();
        foreach (var rdn in cert.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var oid = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue() ?? "";
            if (oid == "2.5.4.3")
            {
                name = value;
            }
            else if (oid == "2.5.4.10")
            {
                groups.Add(value);
            }
        }

        groups.Add("system:authenticated");
        return new UserInfo(name ?? "", groups);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
