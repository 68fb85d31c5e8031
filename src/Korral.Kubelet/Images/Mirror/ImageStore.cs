using System.Buffers;
using System.Security.Cryptography;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// The node's images as an OCI image layout directory: content in blobs/sha256/&lt;hex&gt;, names in index.json (one
/// descriptor per full reference, named by the io.containerd.image.name annotation), so the directory is also what
/// `ctr import` or skopeo's oci: transport read.
/// Readers never lock: a blob appears only once complete and verified (written to ingest/, then renamed) and is never
/// changed afterwards, and index.json is replaced by a rename, so a reader sees the old or the new index whole. Writers
/// (this process, or `korral image load` beside a running node) serialise their index updates through index.lock.
/// Blobs are never deleted (a re-tagged image leaves its old content behind), which keeps readers safe without
/// reference counting.
/// </summary>
public sealed class ImageStore
{
    /// <summary>Manifests and indexes larger than this are refused (the distribution registry's own limit is 4 MiB).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private const int CopyBufferBytes = 1024 * 1024;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(20);

    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _blobs;
    private readonly string _ingest;
    private readonly string _index;
    private readonly string _lock;

    /// <summary>Opens the store at <paramref name="directory"/>, creating an empty layout there if needed.</summary>
    public ImageStore(string directory)
    {
        Directory = System.IO.Path.GetFullPath(directory);
        _blobs = System.IO.Path.Combine(Directory, "blobs", "sha256");
        _ingest = System.IO.Path.Combine(Directory, "ingest");
        _index = System.IO.Path.Combine(Directory, "index.json");
        _lock = System.IO.Path.Combine(Directory, "index.lock");
        System.IO.Directory.CreateDirectory(_blobs);
        System.IO.Directory.CreateDirectory(_ingest);
        var layout = System.IO.Path.Combine(Directory, "oci-layout");
        if (!File.Exists(layout))
        {
            WriteAtomically(layout, """{"imageLayoutVersion":"1.0.0"}"""u8);
        }
    }

    public string Directory { get; }

    /// <summary>Where a node keeps its store: &lt;agent root&gt;/images/store (archives to import sit beside it in images/).</summary>
    public static string DefaultDirectory(string agentRoot) => System.IO.Path.Combine(agentRoot, "images", "store");

    /// <summary>Every named image, in index order. Reads index.json afresh, so images another process added show up at once.</summary>
    public IReadOnlyList<StoredImage> ListImages()
    {
        var images = new List<StoredImage>();
        foreach (var descriptor in ReadIndex().Manifests ?? [])
        {
            if (descriptor.Annotations?.GetValueOrDefault(ImageAnnotations.ContainerdImageName) is { } name &&
                ImageReference.TryParse(name, out var reference, out _))
            {
                images.Add(new StoredImage(reference, descriptor));
            }
        }

        return images;
    }

    /// <summary>The image a tagged reference names, or null.</summary>
    public StoredImage? FindImage(ImageReference reference) =>
        ListImages().LastOrDefault(i => i.Reference == reference);

    /// <summary>Whether any image of this repository (docker.io/library/nginx) is stored.</summary>
    public bool HasRepository(string repository) => ListImages().Any(i => i.Reference.Repository == repository);

    /// <summary>
    /// The manifest or index a reference names: by tag through index.json, by digest any stored manifest blob (like a
    /// registry's repository scoping, the caller checks <see cref="HasRepository"/>). Null when there is none.
    /// </summary>
    public async Task<StoredManifest?> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        string digest;
        string? mediaType = null;
        if (reference.Digest is { } d)
        {
            digest = d;
        }
        else if (FindImage(reference) is { } image)
        {
            digest = image.Target.Digest;
            mediaType = image.Target.MediaType;
        }
        else
        {
            return null;
        }

        var content = await ReadSmallBlobAsync(digest, MaxManifestBytes, cancellationToken);
        if (content is null || OciJson.TryParse<OciManifestDocument>(content) is not { } document)
        {
            return null;
        }

        mediaType = document.EffectiveMediaType ?? mediaType;
        return mediaType is null || !(OciMediaTypes.IsIndex(mediaType) || OciMediaTypes.IsManifest(mediaType))
            ? null
            : new StoredManifest(mediaType, digest, content);
    }

    public bool HasBlob(string digest) => ContentDigest.IsValid(digest) && File.Exists(BlobPath(digest));

    /// <summary>The size of a stored blob, or null.</summary>
    public long? GetBlobSize(string digest)
    {
        if (!ContentDigest.IsValid(digest))
        {
            return null;
        }

        var file = new FileInfo(BlobPath(digest));
        return file.Exists ? file.Length : null;
    }

    /// <summary>A read stream over a stored blob (seekable, for ranges), or null. The caller disposes it.</summary>
    public Stream? OpenBlob(string digest)
    {
        if (!ContentDigest.IsValid(digest))
        {
            return null;
        }

        try
        {
            return new FileStream(BlobPath(digest), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A whole small blob (a manifest, index or config) after checking its digest, or null when absent, larger or corrupt.</summary>
    public async Task<byte[]?> ReadSmallBlobAsync(string digest, int maxBytes, CancellationToken cancellationToken)
    {
        if (GetBlobSize(digest) is not { } size || size > maxBytes)
        {
            return null;
        }

        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(BlobPath(digest), cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return ContentDigest.Of(content) == digest ? content : null;
    }

    /// <summary>
    /// Stores a blob from a stream, hashing while copying (nothing is buffered whole). With <paramref name="expectedDigest"/>
    /// the content must match it (and an already stored blob is not read again); without, the digest is whatever the
    /// content hashes to. Throws <see cref="InvalidDataException"/> on a mismatch; nothing is stored then.
    /// </summary>
    public async Task<ContentDescriptor> AddBlobAsync(Stream content, string mediaType, string? expectedDigest, long? expectedSize,
        CancellationToken cancellationToken)
    {
        if (expectedDigest is not null)
        {
            if (!ContentDigest.IsValid(expectedDigest))
            {
                throw new InvalidDataException($"unsupported digest \"{expectedDigest}\": only sha256 content is stored");
            }

            if (GetBlobSize(expectedDigest) is { } existing && (expectedSize is null || expectedSize == existing))
            {
                return new ContentDescriptor(mediaType, expectedDigest, existing);
            }
        }

        var temp = System.IO.Path.Combine(_ingest, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }

                // Durable before it becomes visible: after a crash a blob is either absent or whole.
                file.Flush(flushToDisk: true);
            }

            var digest = ContentDigest.From(hash);
            if (expectedDigest is not null && digest != expectedDigest)
            {
                throw new InvalidDataException($"content of {expectedDigest} hashes to {digest}");
            }

            if (expectedSize is not null && size != expectedSize)
            {
                throw new InvalidDataException($"{digest} is {size} bytes, expected {expectedSize}");
            }

            File.Move(temp, BlobPath(digest), overwrite: true);
            return new ContentDescriptor(mediaType, digest, size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(temp);
        }
    }

    /// <summary>Stores a small blob held in memory (a generated manifest or a config).</summary>
    public async Task<ContentDescriptor> AddBlobAsync(ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken)
    {
        var digest = ContentDigest.Of(content.Span);
        if (!HasBlob(digest))
        {
            var temp = System.IO.Path.Combine(_ingest, Guid.NewGuid().ToString("N"));
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
                {
                    await file.WriteAsync(content, cancellationToken);
                    file.Flush(flushToDisk: true);
                }

                File.Move(temp, BlobPath(digest), overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        return new ContentDescriptor(mediaType, digest, content.Length);
    }

    /// <summary>
    /// Names images: each reference is added, or moved to its new target, in one replacement of index.json (all or
    /// none). Their content must already be stored.
    /// </summary>
    public async Task SetImagesAsync(IReadOnlyCollection<StoredImage> images, CancellationToken cancellationToken)
    {
        foreach (var image in images)
        {
            if (image.Reference.Tag is null)
            {
                throw new ArgumentException($"{image.Reference} has no tag: the index names images by tag", nameof(images));
            }

            if (!HasBlob(image.Target.Digest))
            {
                throw new InvalidOperationException($"{image.Reference}: {image.Target.Digest} is not stored");
            }
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var fileLock = await AcquireFileLockAsync(cancellationToken);
            var named = new Dictionary<string, ContentDescriptor>(StringComparer.Ordinal);
            foreach (var image in images)
            {
                named[image.Reference.ToString()] = Describe(image);
            }

            // Existing names keep their place in the index (re-pointed if re-imported); new names go at the end.
            var manifests = new List<ContentDescriptor>();
            var placed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var descriptor in ReadIndex().Manifests ?? [])
            {
                var name = descriptor.Annotations?.GetValueOrDefault(ImageAnnotations.ContainerdImageName);
                if (name is null || !named.TryGetValue(name, out var replacement))
                {
                    manifests.Add(descriptor);
                }
                else if (placed.Add(name))
                {
                    manifests.Add(replacement);
                }
            }

            manifests.AddRange(named.Where(n => placed.Add(n.Key)).Select(n => n.Value));
            WriteAtomically(_index, OciJson.Serialize(new OciIndexDocument { Manifests = manifests }));
        }
        finally
        {
            _writer.Release();
        }
    }

    private static ContentDescriptor Describe(StoredImage image)
    {
        var annotations = new Dictionary<string, string>(image.Target.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ImageAnnotations.ContainerdImageName] = image.Reference.ToString(),
            [ImageAnnotations.RefName] = image.Reference.Tag!,
        };
        return image.Target with { Annotations = annotations };
    }

    private OciIndexDocument ReadIndex()
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(_index);
        }
        catch (FileNotFoundException)
        {
            return new OciIndexDocument();
        }

        return OciJson.TryParse<OciIndexDocument>(json) ?? throw new InvalidDataException($"{_index} is not an OCI image index");
    }

    private string BlobPath(string digest) => System.IO.Path.Combine(_blobs, ContentDigest.Hex(digest));

    /// <summary>Another process's writer (e.g. `korral image load`) holds index.lock while it rewrites the index; wait for it.</summary>
    private async Task<FileStream> AcquireFileLockAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix, honoured by every .NET process opening the file.
                return new FileStream(_lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(LockRetry, cancellationToken);
            }
        }
    }

    private void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = System.IO.Path.Combine(_ingest, Guid.NewGuid().ToString("N"));
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
