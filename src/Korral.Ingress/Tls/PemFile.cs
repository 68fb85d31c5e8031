using System.Security.Cryptography.X509Certificates;

namespace Korral.Ingress.Tls;

/// <summary>Certificate files: written atomically with mode 0600 (they hold private keys), read back as certificates.</summary>
internal static class PemFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a 0600 temp file renamed over it.</summary>
    public static void Write(string path, string content)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():n}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The DNS names a certificate is valid for: its subject alternative names, else its common name.</summary>
    public static List<string> Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }

        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } commonName)
        {
            names.Add(commonName);
        }

        return names;
    }

    /// <summary>PEM text ending with exactly one newline, so that certificate and key files concatenate cleanly.</summary>
    public static string WithNewline(string pem) => pem.TrimEnd() + "\n";
}
