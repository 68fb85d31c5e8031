using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Korral.Kubelet.Server;

/// <summary>
/// Authenticates kubelet API callers by client certificate (upstream's x509 authenticator with --client-ca-file): the
/// certificate must chain to the cluster CA and be valid now; the user is its CN, the groups its O entries. Anything
/// else is unauthenticated (anonymous access is off, as k3s runs its kubelets).
/// </summary>
internal sealed class KubeletAuthenticator(X509Certificate2 authority, TimeProvider time)
{
    private const int MaxRemembered = 1_000;

    /// <summary>Chain verdicts by certificate hash: a connection presents the same certificate on every request.</summary>
    private readonly ConcurrentDictionary<string, KubeletUser?> _verified = new(StringComparer.Ordinal);

    public KubeletUser? Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return null;
        }

        var hash = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (_verified.TryGetValue(hash, out var known))
        {
            return known;
        }

        var user = ChainsToAuthority(certificate) ? UserOf(certificate) : null;
        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[hash] = user;
        return user;
    }

    private bool ChainsToAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    private static KubeletUser UserOf(X509Certificate2 certificate)
    {
        var name = "";
        var groups = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            switch (rdn.GetSingleElementType().Value)
            {
                case "2.5.4.3":
                    name = rdn.GetSingleElementValue() ?? "";
                    break;
                case "2.5.4.10":
                    groups.Add(rdn.GetSingleElementValue() ?? "");
                    break;
            }
        }

        groups.Add("system:authenticated");
        return new KubeletUser(name, groups);
    }
}
