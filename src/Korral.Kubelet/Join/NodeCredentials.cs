using System.Security.Cryptography.X509Certificates;
using Korral.Client;

namespace Korral.Kubelet.Join;

/// <summary>
/// What a node holds after joining: the cluster CA, the kubelet's client certificate (user system:node:&lt;name&gt;,
/// group system:nodes) and its serving certificate (the node's name and addresses), both with their private keys.
/// </summary>
public sealed class NodeCredentials(X509Certificate2 authority, X509Certificate2 clientCertificate, X509Certificate2 servingCertificate, string? authorityPem = null)
    : IDisposable
{
    public X509Certificate2 Authority { get; } = authority;

    /// <summary>The CA as the server serves it at /cacerts (the bytes a secure token's hash is taken of).</summary>
    public string AuthorityPem { get; } = authorityPem ?? authority.ExportCertificatePem();

    public X509Certificate2 ClientCertificate { get; } = clientCertificate;

    public X509Certificate2 ServingCertificate { get; } = servingCertificate;

    /// <summary>Client options for talking to the API server at <paramref name="server"/> as this node.</summary>
    public KubeClientOptions ClientOptions(Uri server) => new()
    {
        Server = server,
        ClientCertificate = ClientCertificate,
        CertificateAuthorities = [Authority],
        UserAgent = "korral-kubelet",
    };

    public void Dispose()
    {
        Authority.Dispose();
        ClientCertificate.Dispose();
        ServingCertificate.Dispose();
    }
}
