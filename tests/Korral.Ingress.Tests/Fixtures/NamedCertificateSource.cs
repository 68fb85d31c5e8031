using Korral.Ingress.Tls;
using Korral.Ingress.Translation;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// Certificates for golden cases without real keys: a TLS Secret of the case is a certificate for the names in its
/// annotation test.korral.io/dns-names (comma-separated), at a fixed path under <paramref name="certsDir"/>;
/// test.korral.io/invalid makes it unusable.
/// </summary>
public sealed class NamedCertificateSource(ClusterObjects objects, string certsDir) : ICertificateSource
{
    public TlsCertificate Default { get; } = new(Path.Combine(certsDir, FakeCertificate.FileName), ["ingress.local"], DateTimeOffset.UnixEpoch.AddYears(60));

    public TlsCertificate? Find(string ns, string name, out string? problem)
    {
        var secret = objects.Secrets.FirstOrDefault(s => s.Metadata?.Namespace == ns && s.Metadata.Name == name);
        var annotations = secret?.Metadata?.Annotations ?? new Dictionary<string, string>();
        problem = secret is null ? "does not exist" : annotations.ContainsKey("test.korral.io/invalid") ? "tls.crt and tls.key are not a PEM certificate and its private key" : null;
        if (problem is not null)
        {
            return null;
        }

        var names = (annotations.TryGetValue("test.korral.io/dns-names", out var list) ? list : "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new TlsCertificate(Path.Combine(certsDir, $"{ns}_{name}-0123456789abcdef.pem"), names, DateTimeOffset.UnixEpoch.AddYears(60));
    }
}
