using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Ingress.Translation;

namespace Korral.Ingress.Tls;

/// <summary>
/// The TLS Secrets Ingresses name, checked and written where nginx reads them: one 0600 file per Secret content
/// (certificate chain, then key) named "namespace_name-&lt;hash&gt;.pem", so a changed Secret is a new file name and therefore
/// a changed nginx.conf (which is what triggers the reload). A Secret is only used when its tls.crt parses and tls.key is
/// the private key of its first certificate: a bad Secret falls back to the default certificate instead of making nginx
/// refuse the whole configuration. Secret contents are never logged.
/// </summary>
public sealed class CertificateStore : ICertificateSource
{
    private readonly string _directory;
    private readonly Func<string, string, Secret?> _secret;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="directory">The certs directory (created 0700).</param>
    /// <param name="secret">Reads a Secret by namespace and name (the informer's cache).</param>
    /// <param name="time">For the default certificate's lifetime.</param>
    public CertificateStore(string directory, Func<string, string, Secret?> secret, TimeProvider time)
    {
        _directory = directory;
        _secret = secret;
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Default = FakeCertificate.Ensure(directory, time);
    }

    public TlsCertificate Default { get; }

    public TlsCertificate? Find(string ns, string name, out string? problem)
    {
        var key = $"{ns}/{name}";
        var secret = _secret(ns, name);
        if (secret is null)
        {
            problem = "does not exist";
            return null;
        }

        var version = secret.Metadata?.ResourceVersion ?? "";
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var cached) && cached.ResourceVersion == version && (cached.Certificate is null || File.Exists(cached.Certificate.Path)))
            {
                problem = cached.Problem;
                return cached.Certificate;
            }

            var entry = Load(ns, name, secret, version);
            _entries[key] = entry;
            problem = entry.Problem;
            return entry.Certificate;
        }
    }

    /// <summary>
    /// Deletes the certificate files no longer in use (after nginx accepted a configuration without them) and forgets
    /// their Secrets. The default certificate stays.
    /// </summary>
    public void Retain(IEnumerable<TlsCertificate> inUse)
    {
        var keep = new HashSet<string>(inUse.Select(c => c.Path), StringComparer.Ordinal) { Default.Path };
        lock (_lock)
        {
            foreach (var (key, entry) in _entries.ToList())
            {
                if (entry.Certificate is { } certificate && !keep.Contains(certificate.Path))
                {
                    _entries.Remove(key);
                }
            }

            foreach (var file in Directory.EnumerateFiles(_directory, "*.pem"))
            {
                if (!keep.Contains(file))
                {
                    File.Delete(file);
                }
            }
        }
    }

    private Entry Load(string ns, string name, Secret secret, string version)
    {
        var data = secret.Data;
        if (data is null || !data.TryGetValue("tls.crt", out var crt) || crt.Length == 0)
        {
            return new Entry(version, null, "has no tls.crt");
        }

        if (!data.TryGetValue("tls.key", out var keyBytes) || keyBytes.Length == 0)
        {
            return new Entry(version, null, "has no tls.key");
        }

        var chain = Encoding.UTF8.GetString(crt);
        var key = Encoding.UTF8.GetString(keyBytes);
        List<string> names;
        DateTimeOffset notAfter;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(chain, key);
            names = PemFile.Names(certificate);
            notAfter = certificate.NotAfter.ToUniversalTime();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The exception text is about the format, never the content; it is still left out to be sure.
            return new Entry(version, null, "tls.crt and tls.key are not a PEM certificate and its private key");
        }

        var content = PemFile.WithNewline(chain) + PemFile.WithNewline(key);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..16];
        var path = Path.Combine(_directory, $"{ns}_{name}-{hash}.pem");
        if (!File.Exists(path))
        {
            PemFile.Write(path, content);
        }

        return new Entry(version, new TlsCertificate(path, names, notAfter), null);
    }

    private sealed record Entry(string ResourceVersion, TlsCertificate? Certificate, string? Problem);
}
