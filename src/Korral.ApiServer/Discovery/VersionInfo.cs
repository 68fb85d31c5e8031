using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Korral.ApiServer.Discovery;

/// <summary>
/// The body of GET /version. Korral reports the Kubernetes API level it implements (1.33) so that clients pick
/// the right behaviour; the build metadata suffix (<c>+korral</c>) names the implementation without turning the
/// version into a pre-release, which semver range checks (Helm's kubeVersion) would reject.
/// </summary>
/// <remarks>
/// kubectl warns (on stderr) when client and server minor versions differ by more than one, so kubectl 1.27–1.31
/// print a skew warning against 1.33; that is expected.
/// </remarks>
public sealed record VersionInfo
{
    public const string KubernetesMajor = "1";
    public const string KubernetesMinor = "33";
    public const string KubernetesVersion = "v1.33.1";

    public string Major { get; init; } = KubernetesMajor;

    public string Minor { get; init; } = KubernetesMinor;

    public string EmulationMajor { get; init; } = KubernetesMajor;

    public string EmulationMinor { get; init; } = KubernetesMinor;

    public string MinCompatibilityMajor { get; init; } = KubernetesMajor;

    public string MinCompatibilityMinor { get; init; } = "32";

    public string GitVersion { get; init; } = KubernetesVersion + "+korral";

    /// <summary>The Korral source revision (40 hex digits), zeros when unknown.</summary>
    public string GitCommit { get; init; } = new('0', 40);

    public string GitTreeState { get; init; } = "clean";

    /// <summary>RFC 3339, UTC, second precision, e.g. "2025-05-15T08:27:33Z".</summary>
    public string BuildDate { get; init; } = "1970-01-01T00:00:00Z";

    /// <summary>Upstream reports the Go toolchain; Korral reports the .NET runtime it runs on.</summary>
    public string GoVersion { get; init; } = "dotnet" + Environment.Version;

    public string Compiler { get; init; } = "roslyn";

    /// <summary>"linux/amd64" style.</summary>
    public string Platform { get; init; } = CurrentPlatform();

    /// <summary>The running server: revision from the assembly's informational version, build date from its file.</summary>
    public static VersionInfo Current { get; } = FromAssembly(typeof(VersionInfo).Assembly);

    public static VersionInfo FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var info = new VersionInfo();

        // The SDK appends "+<commit>" to the informational version when it knows the source revision.
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = informational?.IndexOf('+') ?? -1;
        if (informational is not null && plus >= 0)
        {
            var revision = informational[(plus + 1)..];
            if (revision.Length > 0 && revision.All(char.IsAsciiHexDigit))
            {
                info = info with { GitCommit = revision.ToLowerInvariant() };
            }
        }

        var built = BuildTime(assembly);
        if (built is not null)
        {
            info = info with { BuildDate = built.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
        }

        return info;
    }

    /// <summary>The compact JSON body, field names and order as upstream's version.Info.</summary>
    public byte[] ToJson() => DiscoveryJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("major", Major);
        w.WriteString("minor", Minor);
        w.WriteString("emulationMajor", EmulationMajor);
        w.WriteString("emulationMinor", EmulationMinor);
        w.WriteString("minCompatibilityMajor", MinCompatibilityMajor);
        w.WriteString("minCompatibilityMinor", MinCompatibilityMinor);
        w.WriteString("gitVersion", GitVersion);
        w.WriteString("gitCommit", GitCommit);
        w.WriteString("gitTreeState", GitTreeState);
        w.WriteString("buildDate", BuildDate);
        w.WriteString("goVersion", GoVersion);
        w.WriteString("compiler", Compiler);
        w.WriteString("platform", Platform);
        w.WriteEndObject();
    });

    /// <summary>The 200 answer for GET /version (application/json).</summary>
    public DocumentResponse ToResponse() => new()
    {
        StatusCode = 200,
        ContentType = DiscoveryNegotiation.JsonContentType,
        Body = ToJson(),
    };

    private static DateTime? BuildTime(Assembly assembly)
    {
        try
        {
            var location = assembly.Location;
            if (string.IsNullOrEmpty(location))
            {
                // Single-file publish: the assembly has no file of its own; use the executable's.
                location = Environment.ProcessPath;
            }

            return string.IsNullOrEmpty(location) || !File.Exists(location)
                ? null
                : DateTime.SpecifyKind(File.GetLastWriteTimeUtc(location), DateTimeKind.Utc);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string CurrentPlatform()
    {
        var os = OperatingSystem.IsLinux() ? "linux"
            : OperatingSystem.IsMacOS() ? "darwin"
            : OperatingSystem.IsWindows() ? "windows"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : "unknown";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            Architecture.Arm => "arm",
            Architecture.S390x => "s390x",
            Architecture.Ppc64le => "ppc64le",
            Architecture.RiscV64 => "riscv64",
            Architecture.LoongArch64 => "loong64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}/{arch}";
    }
}
