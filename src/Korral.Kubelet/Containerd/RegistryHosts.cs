using System.Text;

namespace Korral.Kubelet.Containerd;

/// <summary>
/// containerd's registry hosts files (certs.d/&lt;registry&gt;/hosts.toml, read on every pull, no restart needed) that
/// send pulls to the node's registry mirror first. When the mirror lacks an image, containerd falls through to the real
/// registry (the file's server), so a node on the internet still pulls what the mirror does not hold.
/// </summary>
public static class RegistryHosts
{
    /// <summary>The registries Kubernetes images come from, each with the server containerd reaches it at.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultUpstreams = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["docker.io"] = "https://registry-1.docker.io",
        ["registry.k8s.io"] = "https://registry.k8s.io",
    };

    /// <summary>
    /// Writes one hosts.toml per upstream registry (mirror first, then the registry itself) and one for the mirror's own
    /// host:port (so images named after the mirror pull from it over plain HTTP). Returns the files that changed.
    /// </summary>
    /// <param name="certsDir">The directory containerd's registry config_path names.</param>
    /// <param name="mirrorEndpoint">The mirror's base URL, e.g. http://127.0.0.1:5000.</param>
    /// <param name="upstreams">Registry host to server URL; <see cref="DefaultUpstreams"/> when null.</param>
    public static IReadOnlyList<string> Write(string certsDir, string mirrorEndpoint, IReadOnlyDictionary<string, string>? upstreams = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certsDir);
        var mirror = ParseEndpoint(mirrorEndpoint);
        var changed = new List<string>();
        foreach (var (host, server) in upstreams ?? DefaultUpstreams)
        {
            var path = Path.Combine(certsDir, host, "hosts.toml");
            if (AtomicFile.WriteIfChanged(path, RenderUpstream(server, mirror)))
            {
                changed.Add(path);
            }
        }

        var own = Path.Combine(certsDir, mirror.Authority, "hosts.toml");
        if (AtomicFile.WriteIfChanged(own, RenderMirror(mirror)))
        {
            changed.Add(own);
        }

        return changed;
    }

    /// <summary>The hosts.toml of a registry reached through the mirror first.</summary>
    public static string RenderUpstream(string server, Uri mirror)
    {
        var toml = new StringBuilder();
        toml.Append("server = ").Append(Toml.Quote(server)).Append('\n');
        toml.Append('\n');
        toml.Append("[host.").Append(Toml.Quote(Endpoint(mirror))).Append("]\n");
        // No push: pushes go to the registry itself, never to the node's mirror.
        toml.Append("  capabilities = [\"pull\", \"resolve\"]\n");
        return toml.ToString();
    }

    /// <summary>The hosts.toml of the mirror under its own name.</summary>
    public static string RenderMirror(Uri mirror)
    {
        var endpoint = Toml.Quote(Endpoint(mirror));
        var toml = new StringBuilder();
        toml.Append("server = ").Append(endpoint).Append('\n');
        toml.Append('\n');
        toml.Append("[host.").Append(endpoint).Append("]\n");
        toml.Append("  capabilities = [\"pull\", \"resolve\", \"push\"]\n");
        return toml.ToString();
    }

    private static Uri ParseEndpoint(string mirrorEndpoint)
    {
        if (!Uri.TryCreate(mirrorEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            throw new ArgumentException($"the registry mirror endpoint must be a base URL like http://127.0.0.1:5000, not \"{mirrorEndpoint}\"", nameof(mirrorEndpoint));
        }

        return uri;
    }

    private static string Endpoint(Uri mirror) => $"{mirror.Scheme}://{mirror.Authority}";
}
