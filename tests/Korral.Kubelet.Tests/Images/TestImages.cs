using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Korral.Kubelet.Tests.Images;

/// <summary>Small image pieces built in memory: layer tars, configs, digests, and tar archives of named files.</summary>
internal static class TestImages
{
    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>An uncompressed layer holding the given text files.</summary>
    public static byte[] Layer(params (string Path, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A layer of <paramref name="size"/> pseudo-random bytes in one file (large enough to be streamed, not buffered).</summary>
    public static byte[] LargeLayer(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "data.bin") { DataStream = new MemoryStream(data) });
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>An image config whose diff_ids are the digests of the given uncompressed layers.</summary>
    public static byte[] Config(string architecture, params byte[][] uncompressedLayers) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(uncompressedLayers.Select(l => (JsonNode)Digest(l)).ToArray()) },
        }.ToJsonString());

    /// <summary>Writes a tar archive (optionally gzip-compressed) of files and symbolic links, in the given order.</summary>
    public static void WriteTar(string path, IEnumerable<ArchiveEntry> entries, bool gzip = false)
    {
        using var file = File.Create(path);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in entries)
        {
            if (entry.LinkTarget is { } target)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, entry.Path) { LinkName = target });
            }
            else
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Path) { DataStream = new MemoryStream(entry.Content!) });
            }
        }
    }
}

/// <summary>One entry of a test archive: a file with content, or a symbolic link.</summary>
internal sealed record ArchiveEntry(string Path, byte[]? Content, string? LinkTarget = null)
{
    public static ArchiveEntry File(string path, byte[] content) => new(path, content);

    public static ArchiveEntry File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));

    public static ArchiveEntry Link(string path, string target) => new(path, null, target);
}
