using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// Imports image archives into an <see cref="ImageStore"/>: OCI image layout tars (images/build, skopeo oci-archive,
/// `ctr export`, and `docker save` from Docker 25 on, which carries a layout beside its manifest.json) and classic
/// `docker save` archives (manifest.json with Config, RepoTags and Layers; converted to OCI manifests). Either may be
/// gzip-compressed. The archive is read in one streaming pass: blobs go straight into the store, hashed while copied;
/// only small files stay in memory. Names are added to the index only once every image is known to be complete, so a
/// malformed archive adds no names (content it held may stay in the store, unnamed and harmless).
/// </summary>
public sealed partial class ArchiveImporter(ImageStore store)
{
    /// <summary>Files up to this size are kept in memory during the pass; larger ones are streamed into the store.</summary>
    private const int SmallFileBytes = 1024 * 1024;

    /// <summary>The largest index.json, manifest.json or image config read back.</summary>
    private const int MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Imports one archive and returns the names it added or moved. <paramref name="baseName"/> completes OCI layouts
    /// that name images only by tag (org.opencontainers.image.ref.name "1.0" with base docker.io/library/app gives
    /// docker.io/library/app:1.0), like `ctr import --base-name`.
    /// </summary>
    public async Task<IReadOnlyList<StoredImage>> ImportAsync(string archivePath, string? baseName, CancellationToken cancellationToken)
    {
        ImageReference? @base = null;
        if (baseName is not null && !ImageReference.TryParse(baseName, out @base, out var baseError))
        {
            throw new ImageArchiveException($"base name \"{baseName}\": {baseError}");
        }

        var contents = await ScanAsync(archivePath, cancellationToken);
        var images = contents.Find("index.json") is not null
            ? await ResolveOciLayoutAsync(archivePath, contents, @base?.Repository, cancellationToken)
            : [];
        if (images.Count == 0 && contents.Find("manifest.json") is not null)
        {
            images = await ResolveDockerArchiveAsync(archivePath, contents, cancellationToken);
        }
        else if (images.Count == 0 && contents.Find("index.json") is null)
        {
            throw new ImageArchiveException(
                $"{archivePath}: not an image archive: it holds neither index.json (OCI image layout) nor manifest.json (docker save)");
        }

        if (images.Count == 0)
        {
            throw new ImageArchiveException(
                $"{archivePath}: the archive names no image (no io.containerd.image.name annotation or RepoTags" +
                (@base is null ? "; for an OCI layout that names only tags, give a base name" : "") + ")");
        }

        // Later names win, as a later `docker load` of the same tag would.
        var named = images.GroupBy(i => i.Reference).Select(g => g.Last()).ToList();
        await store.SetImagesAsync(named, cancellationToken);
        return named;
    }

    private async Task<ArchiveContents> ScanAsync(string archivePath, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageArchiveException($"{archivePath}: no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImageArchiveException($"{archivePath}: {e.Message}", e);
        }

        await using (file)
        {
            var magic = new byte[2];
            var read = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken);
            file.Position = 0;
            var gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            await using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;
            var contents = new ArchiveContents();
            try
            {
                await using var reader = new TarReader(stream, leaveOpen: true);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    await AddEntryAsync(archivePath, contents, entry, cancellationToken);
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
            {
                var why = e is EndOfStreamException ? "it ends inside a tar header (truncated?)" : e.Message;
                throw new ImageArchiveException($"{archivePath}: not a valid {(gzip ? "gzip-compressed " : "")}tar archive: {why}", e);
            }

            if (contents.FileCount == 0)
            {
                throw new ImageArchiveException($"{archivePath}: not an image archive: no files in it");
            }

            return contents;
        }
    }

    private async Task AddEntryAsync(string archivePath, ArchiveContents contents, TarEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await AddEntryAsync(contents, entry, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            // A blob whose content does not match its name, or compressed data that is damaged.
            throw new ImageArchiveException($"{archivePath}: {entry.Name}: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ImageArchiveException($"{archivePath}: {entry.Name}: the archive ends inside this file (truncated?)", e);
        }
    }

    private async Task AddEntryAsync(ArchiveContents contents, TarEntry entry, CancellationToken cancellationToken)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var data = entry.DataStream ?? Stream.Null;
                var path = ArchiveContents.Normalize(entry.Name);
                if (LayoutBlobPath().Match(path) is { Success: true } blob)
                {
                    // An OCI layout names each blob by its digest: store it, checking the content against the name.
                    var digest = ContentDigest.Sha256Prefix + blob.Groups["hex"].Value;
                    var stored = await store.AddBlobAsync(data, "application/octet-stream", digest, entry.Length, cancellationToken);
                    contents.AddFile(path, new ArchiveFile(null, stored));
                }
                else if (entry.Length <= SmallFileBytes)
                {
                    var bytes = new byte[entry.Length];
                    await data.ReadExactlyAsync(bytes, cancellationToken);
                    contents.AddFile(path, new ArchiveFile(bytes, null));
                }
                else
                {
                    var stored = await store.AddBlobAsync(data, "application/octet-stream", null, entry.Length, cancellationToken);
                    contents.AddFile(path, new ArchiveFile(null, stored));
                }

                break;
            case TarEntryType.SymbolicLink:
                contents.AddSymbolicLink(entry.Name, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                contents.AddHardLink(entry.Name, entry.LinkName);
                break;
            default:
                // Directories, devices and the like carry nothing an image archive needs.
                break;
        }
    }

    /// <summary>A file's bytes (kept in memory, or read back from the store), or null when larger than <paramref name="maxBytes"/>.</summary>
    private async Task<byte[]?> ReadAsync(ArchiveFile file, int maxBytes, CancellationToken cancellationToken) =>
        file.Content is { } content
            ? (content.Length <= maxBytes ? content : null)
            : await store.ReadSmallBlobAsync(file.Stored!.Digest, maxBytes, cancellationToken);

    /// <summary>The descriptor of a file's content in the store, storing it first if it was kept in memory.</summary>
    private async Task<ContentDescriptor> StoreAsync(ArchiveFile file, string mediaType, CancellationToken cancellationToken) =>
        file.Stored is { } stored
            ? stored with { MediaType = mediaType }
            : await store.AddBlobAsync(file.Content!, mediaType, cancellationToken);

    [GeneratedRegex("^blobs/sha256/(?<hex>[a-f0-9]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex LayoutBlobPath();
}
