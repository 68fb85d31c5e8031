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

        if (context.Connection.ClientCertificate is { } cert && certificates.Issued(cert))
        {
            return FromCertificate(cert);
        }

        return UserInfo.Anonymous;
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
