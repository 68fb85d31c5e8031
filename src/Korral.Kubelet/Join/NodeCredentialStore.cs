using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Korral.Kubelet.Join;

/// <summary>
/// A node's credentials on disk, so that a restarted agent does not join again: <c>&lt;agent root&gt;/pki/</c> holds
/// ca.crt (as the server served it), client-kubelet.crt/.key and serving-kubelet.crt/.key (k3s's names). Keys are
/// written owner-only (0600) from the moment they exist; certificates are 0644.
/// </summary>
public sealed class NodeCredentialStore(string directory)
{
    public const string CaFile = "ca.crt";

    public const string ClientCertificateFile = "client-kubelet.crt";

    public const string ClientKeyFile = "client-kubelet.key";

    public const string ServingCertificateFile = "serving-kubelet.crt";

    public const string ServingKeyFile = "serving-kubelet.key";

    /// <summary>Certificates that expire sooner than this are not worth loading: the node joins again instead.</summary>
    public static readonly TimeSpan MinimumRemainingValidity = TimeSpan.FromDays(1);

    public string Directory { get; } = directory;

    public static string DefaultDirectory(string agentRoot) => Path.Combine(agentRoot, "pki");

    public void Save(NodeCredentials credentials)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Write(CaFile, credentials.AuthorityPem, secret: false);
        Write(ClientKeyFile, KeyPem(credentials.ClientCertificate), secret: true);
        Write(ClientCertificateFile, credentials.ClientCertificate.ExportCertificatePem() + "\n", secret: false);
        Write(ServingKeyFile, KeyPem(credentials.ServingCertificate), secret: true);
        Write(ServingCertificateFile, credentials.ServingCertificate.ExportCertificatePem() + "\n", secret: false);
    }

    /// <summary>
    /// The stored credentials if they are still good for this join: all files present, the CA the one
    /// <paramref name="token"/> pins (when it pins one), the client certificate this node's, the serving certificate
    /// covering its name and every one of <paramref name="addresses"/>, both issued by the CA and valid for at least
    /// <see cref="MinimumRemainingValidity"/>. Otherwise null, with the reason in <paramref name="why"/>.
    /// </summary>
    public NodeCredentials? TryLoad(JoinToken? token, string nodeName, IReadOnlyList<IPAddress> addresses, DateTimeOffset now, out string why)
    {
        string[] files = [CaFile, ClientCertificateFile, ClientKeyFile, ServingCertificateFile, ServingKeyFile];
        if (files.FirstOrDefault(f => !File.Exists(Path.Combine(Directory, f))) is { } missing)
        {
            why = $"{missing} is missing";
            return null;
        }

        X509Certificate2? ca = null, client = null, serving = null;
        try
        {
            var caBytes = File.ReadAllBytes(Path.Combine(Directory, CaFile));
            if (token?.CaHash is { } pinned && !string.Equals(Convert.ToHexStringLower(SHA256.HashData(caBytes)), pinned, StringComparison.Ordinal))
            {
                why = "the stored CA is not the one the token names (another cluster)";
                return null;
            }

            var caPem = Encoding.UTF8.GetString(caBytes);
            ca = X509Certificate2.CreateFromPem(caPem);
            client = X509Certificate2.CreateFromPemFile(Path.Combine(Directory, ClientCertificateFile), Path.Combine(Directory, ClientKeyFile));
            serving = X509Certificate2.CreateFromPemFile(Path.Combine(Directory, ServingCertificateFile), Path.Combine(Directory, ServingKeyFile));
            why = Problem(ca, client, serving, nodeName, addresses, now) ?? "";
            if (why.Length == 0)
            {
                var loaded = new NodeCredentials(ca, client, serving, caPem);
                ca = client = serving = null;
                return loaded;
            }

            return null;
        }
        catch (CryptographicException e)
        {
            why = $"unreadable: {e.Message}";
            return null;
        }
        finally
        {
            ca?.Dispose();
            client?.Dispose();
            serving?.Dispose();
        }
    }

    private static string? Problem(X509Certificate2 ca, X509Certificate2 client, X509Certificate2 serving, string nodeName, IReadOnlyList<IPAddress> addresses,
        DateTimeOffset now)
    {
        if (client.GetNameInfo(X509NameType.SimpleName, false) != $"system:node:{nodeName}")
        {
            return $"the client certificate is not node {nodeName}'s";
        }

        var san = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null || !san.EnumerateDnsNames().Contains(nodeName, StringComparer.Ordinal))
        {
            return $"the serving certificate does not name {nodeName}";
        }

        var covered = san.EnumerateIPAddresses().ToHashSet();
        if (addresses.FirstOrDefault(a => !covered.Contains(a)) is { } uncovered)
        {
            return $"the serving certificate does not cover {uncovered}";
        }

        var limit = (now + MinimumRemainingValidity).UtcDateTime;
        foreach (var (what, cert) in new[] { ("client", client), ("serving", serving) })
        {
            if (cert.NotAfter.ToUniversalTime() < limit)
            {
                return $"the {what} certificate expires at {cert.NotAfter.ToUniversalTime():u}";
            }

            if (!CertificateChains.IssuedBy(cert, [ca]))
            {
                return $"the {what} certificate was not issued by the stored CA";
            }
        }

        return null;
    }

    private static string KeyPem(X509Certificate2 cert)
    {
        using var key = cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("node certificates carry ECDSA keys");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private void Write(string name, string text, bool secret)
    {
        var path = Path.Combine(Directory, name);
        var tmp = path + ".tmp";
        File.Delete(tmp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using (var writer = new StreamWriter(tmp, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(text);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
