using System.Security.Cryptography.X509Certificates;

namespace Korral.Kubelet.Join;

/// <summary>Chain checks against a given set of roots only (the cluster CA), never the machine's trust store.</summary>
public static class CertificateChains
{
    public static bool IssuedBy(X509Certificate2 certificate, IEnumerable<X509Certificate2> authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
