namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// What one pass over an archive found: small files kept in memory (index.json, manifest.json, configs), large ones
/// already streamed into the store, and links, all by their path in the archive.
/// </summary>
internal sealed class ArchiveContents
{
    private const int MaxLinkHops = 16;

    private readonly Dictionary<string, ArchiveFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public int FileCount => _files.Count;

    public void AddFile(string path, ArchiveFile file) => _files[Normalize(path)] = file;

    /// <summary>A symbolic link: its target is relative to the link's own directory (or absolute from the archive root).</summary>
    public void AddSymbolicLink(string path, string target)
    {
        var link = Normalize(path);
        var directory = link.Contains('/', StringComparison.Ordinal) ? link[..link.LastIndexOf('/')] : "";
        _links[link] = target.StartsWith('/') ? Normalize(target) : Normalize(directory.Length == 0 ? target : $"{directory}/{target}");
    }

    /// <summary>A hard link: its target is a path from the archive root.</summary>
    public void AddHardLink(string path, string target) => _links[Normalize(path)] = Normalize(target);

    /// <summary>The file at a path, following links; null when the archive has none there.</summary>
    public ArchiveFile? Find(string path)
    {
        var current = Normalize(path);
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            if (_files.TryGetValue(current, out var file))
            {
                return file;
            }

            if (!_links.TryGetValue(current, out var next))
            {
                return null;
            }

            current = next;
        }

        return null;
    }

    /// <summary>"./blobs//sha256/x" and "/blobs/sha256/x" are "blobs/sha256/x"; ".." steps up.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
