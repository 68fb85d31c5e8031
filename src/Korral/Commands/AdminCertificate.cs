using System.Security.Cryptography.X509Certificates;
using Korral.ApiServer.Hosting;
using Korral.ApiServer.Security;

namespace Korral.Commands;

/// <summary>The admin client certificate (CN=system:admin, O=system:masters), issued once and kept in the data dir.</summary>
public static class AdminCertificate
{
    public static X509Certificate2 LoadOrIssue(ApiServerHost server, string dataDir)
    {
        var cert = Path.Combine(dataDir, "tls", "client-admin.crt");
        var key = Path.Combine(dataDir, "tls", "client-admin.key");
        if (ClusterCertificates.TryLoad(cert, key, DateTimeOffset.UtcNow) is { } existing && server.Certificates.Issued(existing))
        {
            return existing;
        }

        var issued = server.IssueClientCertificate("system:admin", ["system:masters"]);
        ClusterCertificates.Save(issued, cert, key);
        return issued;
    }
}
