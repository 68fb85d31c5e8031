using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Korral.ApiServer.Security;

/// <summary>
/// The cluster's certificate authority and the certificates issued from it: the API server's serving certificate
/// (with every name and address clients use) and client certificates for users and components. Keys are ECDSA P-256:
/// fast to generate (start-up stays well under a second) and accepted by Go's TLS stack.
/// </summary>
public sealed class ClusterCertificates
{
    private ClusterCertificates(X509Certificate2 ca) => Authority = ca;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Loads the CA from <paramref name="directory"/>, creating it on first start. Returns whether it was created.</summary>
    public static (ClusterCertificates Certificates, bool Created) LoadOrCreate(string directory, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, "ca.crt");
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return (new ClusterCertificates(X509Certificate2.CreateFromPemFile(certPath, keyPath)), false);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=korral-ca@{now.ToUnixTimeSeconds()}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        WritePem(certPath, ca.ExportCertificatePem());
        WritePem(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (new ClusterCertificates(X509Certificate2.CreateFromPemFile(certPath, keyPath)), true);
    }

    /// <summary>Issues a TLS serving certificate for the given DNS names and IP addresses.</summary>
    public X509Certificate2 IssueServing(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Distinct())
        {
            san.AddDnsName(dns);
        }

        foreach (var ip in addresses.Distinct())
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return Issue(request, key, now);
    }

    /// <summary>Issues a client certificate: the user is the CN, the groups are the O entries (upstream's convention).</summary>
    public X509Certificate2 IssueClient(string user, IEnumerable<string> groups, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        foreach (var g in groups)
        {
            subject.AddOrganizationName(g);
        }

        subject.AddCommonName(user);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Issue(request, key, now);
    }

    private X509Certificate2 Issue(CertificateRequest request, ECDsa key, DateTimeOffset now)
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        var notAfter = now.AddYears(1) < Authority.NotAfter ? now.AddYears(1) : Authority.NotAfter.ToUniversalTime();
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        using var cert = request.Create(Authority, now.AddMinutes(-5), notAfter, serial);
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>Loads a certificate and key written by <see cref="Save"/>, if both exist and the certificate is still valid.</summary>
    public static X509Certificate2? TryLoad(string certPath, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return null;
        }

        var cert = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        return cert.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1) ? cert : null;
    }

    public static void Save(X509Certificate2 cert, string certPath, string keyPath)
    {
        WritePem(certPath, cert.ExportCertificatePem());
        using var key = cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("certificate has no ECDSA private key");
        WritePem(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static void WritePem(string path, string pem)
    {
        // Private keys and certificates are readable by their owner only.
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Whether <paramref name="client"/> was issued by this CA (chain built against it alone).</summary>
    public bool Issued(X509Certificate2 client)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(client);
    }
}
