using System.Text.Json;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// k3s's air-gap convention: image archives (*.tar, *.tar.gz, *.tgz) dropped into &lt;agent root&gt;/images are
/// imported when the node starts. An archive is imported once: its file name, size and modification time are
/// remembered in the store (imported-archives.json), so a replaced archive is imported again and an unchanged one is
/// not read at all. An archive that fails is logged and skipped, and tried again at the next start.
/// </summary>
public sealed class ImageDirectoryImporter(ImageStore store, Action<string> log)
{
    private const string StateFileName = "imported-archives.json";

    private static readonly string[] ArchiveSuffixes = [".tar", ".tar.gz", ".tgz"];

    private readonly ArchiveImporter _importer = new(store);

    /// <summary>The directory a node imports from at start: &lt;agent root&gt;/images.</summary>
    public static string DefaultDirectory(string agentRoot) => Path.Combine(agentRoot, "images");

    /// <summary>Imports every archive in <paramref name="directory"/> not imported before; returns the names added. A missing directory has none.</summary>
    public async Task<IReadOnlyList<StoredImage>> ImportNewAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var statePath = Path.Combine(store.Directory, StateFileName);
        var imported = ReadState(statePath);
        var kept = new List<ImportedArchive>();
        var images = new List<StoredImage>();
        var archives = new DirectoryInfo(directory).EnumerateFiles()
            .Where(f => ArchiveSuffixes.Any(s => f.Name.EndsWith(s, StringComparison.Ordinal)))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        foreach (var file in archives)
        {
            var key = new ImportedArchive(file.Name, file.Length, file.LastWriteTimeUtc.Ticks);
            if (imported.Contains(key))
            {
                kept.Add(key);
                continue;
            }

            try
            {
                var added = await _importer.ImportAsync(file.FullName, null, cancellationToken);
                images.AddRange(added);
                kept.Add(key);
                log($"imported {file.Name}: {string.Join(", ", added.Select(i => i.Reference))}");
            }
            catch (ImageArchiveException e)
            {
                log($"skipping image archive {file.Name}: {e.Message}");
            }
        }

        // Archives that are gone are forgotten, so the state stays as small as the directory.
        if (!kept.ToHashSet().SetEquals(imported))
        {
            var temp = statePath + ".tmp";
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(kept), cancellationToken);
            File.Move(temp, statePath, overwrite: true);
        }

        return images;
    }

    private static HashSet<ImportedArchive> ReadState(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<List<ImportedArchive>>(File.ReadAllBytes(path))?.ToHashSet() ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            // No state (first start) or a damaged one: importing again is harmless, the store keeps content by digest.
            return [];
        }
    }

    /// <summary>What identifies an archive already imported.</summary>
    private sealed record ImportedArchive(string Name, long Size, long ModifiedTicks);
}
