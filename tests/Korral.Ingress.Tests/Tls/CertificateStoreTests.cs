using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Ingress.Tests.Fixtures;
using Korral.Ingress.Tls;
using static Korral.Ingress.Tests.Fixtures.TestObjects;

namespace Korral.Ingress.Tests.Tls;

/// <summary>TLS Secrets checked and written as 0600 files named by content; bad ones refused; unused files removed.</summary>
public sealed class CertificateStoreTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _directory = new("certs");
    private readonly Dictionary<string, Secret> _secrets = [];

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void WritesAValidSecretAsOnePemFileReadableOnlyByItsOwner()
    {
        var store = Store();
        var secret = Add(TlsSecret("web-tls", "web.example.com", "www.example.com"));

        var certificate = store.Find("default", "web-tls", out var problem);

        Assert.Null(problem);
        Assert.NotNull(certificate);
        Assert.Equal(["web.example.com", "www.example.com"], certificate.Names);
        Assert.Matches(@"/certs/default_web-tls-[0-9a-f]{16}\.pem$", certificate.Path);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(certificate.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(certificate.Path)!));
        var pem = File.ReadAllText(certificate.Path);
        Assert.Equal(Encoding.UTF8.GetString(secret.Data!["tls.crt"]).TrimEnd() + "\n" + Encoding.UTF8.GetString(secret.Data["tls.key"]).TrimEnd() + "\n", pem);
        Assert.True(certificate.Covers("www.example.com"));
        Assert.False(certificate.Covers("other.example.com"));
    }

    [Fact]
    public void ChangedSecretIsANewFileAndTheSameSecretTheSameFile()
    {
        var store = Store();
        Add(TlsSecret("web-tls", "web.example.com"));
        var first = store.Find("default", "web-tls", out _)!;
        Assert.Equal(first.Path, store.Find("default", "web-tls", out _)!.Path);

        var renewed = Add(TlsSecret("web-tls", "web.example.com"));
        renewed.Metadata!.ResourceVersion = "2";
        var second = store.Find("default", "web-tls", out _)!;

        Assert.NotEqual(first.Path, second.Path);
        Assert.True(File.Exists(first.Path), "the old file stays until nginx runs a configuration without it");
        store.Retain([second]);
        Assert.False(File.Exists(first.Path));
        Assert.True(File.Exists(second.Path));
        Assert.True(File.Exists(store.Default.Path));
    }

    public static TheoryData<string, Action<Secret>, string> Unusable => new()
    {
        { "no key", s => s.Data!.Remove("tls.key"), "has no tls.key" },
        { "no certificate", s => s.Data!.Remove("tls.crt"), "has no tls.crt" },
        { "not PEM", s => s.Data!["tls.crt"] = Encoding.UTF8.GetBytes("hello"), "tls.crt and tls.key are not a PEM certificate and its private key" },
        { "another certificate's key", s => s.Data!["tls.key"] = Encoding.UTF8.GetBytes(TestCertificates.Create("x.example.com").Key),
            "tls.crt and tls.key are not a PEM certificate and its private key" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void UnusableSecretIsRefusedWithAReasonAndNoFile(string what, Action<Secret> spoil, string expected)
    {
        var store = Store();
        var secret = Add(TlsSecret("bad-tls", "web.example.com"));
        spoil(secret);

        Assert.Null(store.Find("default", "bad-tls", out var problem));
        Assert.True(problem == expected, $"{what}: {problem}");
        Assert.Equal([FakeCertificate.FileName], Directory.GetFiles(Path.Combine(_directory.Path, "certs")).Select(Path.GetFileName));
    }

    [Fact]
    public void MissingSecretIsReported()
    {
        Assert.Null(Store().Find("default", "nothing", out var problem));
        Assert.Equal("does not exist", problem);
    }

    [Fact]
    public void DefaultCertificateIsTheFakeOneAndKeptAcrossRestarts()
    {
        var first = Store().Default;
        var bytes = File.ReadAllBytes(first.Path);

        var second = Store().Default;

        Assert.Equal(first, second with { Names = first.Names });
        Assert.Equal(bytes, File.ReadAllBytes(second.Path));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(second.Path));
        Assert.Equal(["ingress.local"], second.Names);
        Assert.True(second.NotAfter > DateTimeOffset.UtcNow.AddDays(300));
    }

    private CertificateStore Store() =>
        new(Path.Combine(_directory.Path, "certs"), (ns, name) => _secrets.GetValueOrDefault($"{ns}/{name}"), TimeProvider.System);

    private Secret Add(Secret secret)
    {
        _secrets[$"{secret.Metadata!.Namespace}/{secret.Metadata.Name}"] = secret;
        return secret;
    }
}
