using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Korral.Kubeconfig;

/// <summary>Writes an admin kubeconfig: the cluster CA, the server URL and a client certificate (system:masters).</summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, X509Certificate2 ca, X509Certificate2 client, string name = "default")
    {
        var caData = B64(ca.ExportCertificatePem());
        var certData = B64(client.ExportCertificatePem());
        using var key = client.GetECDsaPrivateKey() ?? throw new InvalidOperationException("client certificate has no ECDSA key");
        var keyData = B64(key.ExportPkcs8PrivateKeyPem());
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {name}
              cluster:
                server: {server.ToString().TrimEnd('/')}
                certificate-authority-data: {caData}
            users:
            - name: {name}
              user:
                client-certificate-data: {certData}
                client-key-data: {keyData}
            contexts:
            - name: {name}
              context:
                cluster: {name}
                user: {name}
            current-context: {name}
            preferences: {"{}"}

            """;
    }

    /// <summary>Writes the file readable by its owner only (it holds an admin key), replacing it atomically.</summary>
    public static void Write(string path, string content)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static string B64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
