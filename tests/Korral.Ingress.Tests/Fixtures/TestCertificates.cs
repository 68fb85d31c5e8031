using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>Self-signed certificates for TLS tests, as PEM text the way a kubernetes.io/tls Secret holds them.</summary>
public static class TestCertificates
{
    /// <summary>A certificate for <paramref name="dnsNames"/> (common name: the first) and its PKCS#8 key.</summary>
    public static (string Certificate, string Key) Create(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
