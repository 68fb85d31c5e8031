using Korral.Ingress.Tls;

namespace Korral.Ingress.Translation;

/// <summary>The TLS certificates the translation may point servers at, already written to files nginx reads.</summary>
public interface ICertificateSource
{
    /// <summary>The self-signed certificate presented when no usable one is configured (ingress-nginx's fake certificate).</summary>
    TlsCertificate Default { get; }

    /// <summary>The certificate of Secret <paramref name="ns"/>/<paramref name="name"/>; null with the reason when it is missing or unusable.</summary>
    TlsCertificate? Find(string ns, string name, out string? problem);
}
