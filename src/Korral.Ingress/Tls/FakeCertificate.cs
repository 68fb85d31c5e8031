using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Korral.Ingress.Tls;

/// <summary>
/// The certificate HTTPS answers with when no Ingress provides one for the host, self-signed like ingress-nginx's
/// "Kubernetes Ingress Controller Fake Certificate". Kept in the certs directory and reused across restarts while it has
/// more than 30 days left.
/// </summary>
public static class FakeCertificate
{
    public const string FileName = "default-fake-certificate.pem";
    public const string CommonName = "Kubernetes Ingress Controller Fake Certificate";

    /// <summary>Loads the certificate in <paramref name="certsDir"/>, or makes a new one when it is missing, unreadable or about to expire.</summary>
    public static TlsCertificate Ensure(string certsDir, TimeProvider time)
    {
        var path = Path.Combine(certsDir, FileName);
        var now = time.GetUtcNow();
        if (TryLoad(path) is { } existing && existing.NotAfter > now.AddDays(30))
        {
            return existing;
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={CommonName}, O=Acme Co", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("ingress.local");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        PemFile.Write(path, PemFile.WithNewline(certificate.ExportCertificatePem()) + PemFile.WithNewline(key.ExportPkcs8PrivateKeyPem()));
        return new TlsCertificate(path, PemFile.Names(certificate), certificate.NotAfter.ToUniversalTime());
    }

    private static TlsCertificate? TryLoad(string path)
    {
        try
        {
            var pem = File.ReadAllText(path);
            using var certificate = X509Certificate2.CreateFromPem(pem, pem);
            return new TlsCertificate(path, PemFile.Names(certificate), certificate.NotAfter.ToUniversalTime());
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
