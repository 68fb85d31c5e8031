using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// An image reference in the fully qualified form containerd and the CRI use: "nginx" is
/// docker.io/library/nginx:latest, "busybox:1.28" is docker.io/library/busybox:1.28, "registry.k8s.io/pause:3.10" and
/// "localhost:5000/x" keep their registry. The rules are docker's reference grammar: the first path component is a
/// registry only when it has a dot or a port, is "localhost", or has capitals; index.docker.io is docker.io; one-word
/// Docker Hub names live under library/. Like containerd's ParseDockerRef, a reference with both a tag and a digest
/// keeps only the digest (the digest decides what is pulled), and one with neither gets the tag "latest".
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";

    private const string LegacyDockerHub = "index.docker.io";
    private const int MaxNameLength = 255;

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with its port if any: docker.io, registry.k8s.io, localhost:5000.</summary>
    public string Domain { get; }

    /// <summary>The repository path inside the registry: library/nginx, pause.</summary>
    public string Path { get; }

    /// <summary>The tag, or null when the reference names a digest.</summary>
    public string? Tag { get; }

    /// <summary>The digest (sha256:…), or null when the reference names a tag.</summary>
    public string? Digest { get; }

    /// <summary>Registry and path: docker.io/library/nginx.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>Parses and normalises a reference; <see cref="FormatException"/> with docker's wording when it is invalid.</summary>
    public static ImageReference Parse(string reference) =>
        TryParse(reference, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string reference, [NotNullWhen(true)] out ImageReference? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrEmpty(reference))
        {
            error = "invalid reference format: repository name must have at least one component";
            return false;
        }

        var match = ReferencePattern().Match(reference);
        if (!match.Success)
        {
            error = reference.Any(char.IsUpper) && ReferencePattern().IsMatch(reference.ToLowerInvariant())
                ? $"invalid reference format: repository name ({reference}) must be lowercase"
                : $"invalid reference format: \"{reference}\"";
            return false;
        }

        var name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            error = $"invalid reference format: repository name must not be more than {MaxNameLength} characters";
            return false;
        }

        if (AnonymousId().IsMatch(name))
        {
            error = $"invalid repository name ({name}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        var (domain, path) = SplitDomain(name);
        if (path.Any(char.IsUpper))
        {
            error = $"invalid reference format: repository name ({path}) must be lowercase";
            return false;
        }

        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (digest is not null)
        {
            if (!ContentDigest.IsValid(digest))
            {
                error = $"invalid reference format: unsupported digest \"{digest}\" (only sha256 with 64 lowercase hex digits)";
                return false;
            }

            tag = null;
        }
        else
        {
            tag ??= "latest";
        }

        parsed = new ImageReference(domain, path, tag, digest);
        error = null;
        return true;
    }

    /// <summary>This repository with another tag or digest (the mirror's "manifests/&lt;reference&gt;" part).</summary>
    public static bool TryParse(string repository, string tagOrDigest, [NotNullWhen(true)] out ImageReference? parsed, [NotNullWhen(false)] out string? error) =>
        TryParse(tagOrDigest.Contains(':', StringComparison.Ordinal) ? $"{repository}@{tagOrDigest}" : $"{repository}:{tagOrDigest}", out parsed, out error);

    /// <summary>The full form: docker.io/library/nginx:latest or docker.io/library/nginx@sha256:….</summary>
    public override string ToString() => Digest is null ? $"{Repository}:{Tag}" : $"{Repository}@{Digest}";

    private static (string Domain, string Path) SplitDomain(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        string domain, path;
        if (slash < 0 || !IsDomain(name[..slash]))
        {
            (domain, path) = (DockerHub, name);
        }
        else
        {
            (domain, path) = (name[..slash], name[(slash + 1)..]);
        }

        if (domain == LegacyDockerHub)
        {
            domain = DockerHub;
        }

        if (domain == DockerHub && !path.Contains('/', StringComparison.Ordinal))
        {
            path = "library/" + path;
        }

        return (domain, path);
    }

    private static bool IsDomain(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) ||
        component == "localhost" || component.Any(char.IsUpper);

    // name = [domain/]component(/component)*, then :tag, then @digest (docker's reference grammar; the domain part may
    // hold capitals, dots, a port or a bracketed IPv6 address; path components are lowercase).
    [GeneratedRegex("""
        ^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/|\[[a-fA-F0-9:]+\](?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$
        """, RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnonymousId();
}
