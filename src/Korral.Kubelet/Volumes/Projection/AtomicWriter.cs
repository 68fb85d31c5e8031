using System.Globalization;
using Korral.Kubelet.Volumes.Host;

namespace Korral.Kubelet.Volumes.Projection;

/// <summary>
/// Projects a set of files into a directory so that readers never see a half-written set, in upstream's on-disk
/// layout: the files live in a hidden timestamped directory <c>..2006_01_02_15_04_05.NNNN</c>, the <c>..data</c>
/// symlink points at the current one, and each visible top-level name is a symlink <c>name -&gt; ..data/name</c>.
/// An update writes a new timestamped directory, creates <c>..data_tmp</c> pointing at it and renames that over
/// <c>..data</c> (rename is atomic), then prunes visible names that left the payload and the old directory. Names
/// starting with <c>..</c> are reserved. Not thread-safe: callers serialise writes per directory.
/// </summary>
internal sealed class AtomicWriter(string targetDirectory, TimeProvider time)
{
    public const string DataDirName = "..data";
    public const string NewDataDirName = "..data_tmp";

    private const int MaxFileNameLength = 255;
    private const int MaxPathLength = 4096;

    /// <summary>Writes the payload unless the current content is already the same; true when something changed.</summary>
    /// <param name="payload">The files by relative path.</param>
    /// <param name="prepare">Runs on the new timestamped directory before it becomes visible (ownership).</param>
    /// <exception cref="ArgumentException">A path of the payload is invalid (absolute, with "..", too long).</exception>
    public bool Write(IReadOnlyDictionary<string, FileProjection> payload, Action<string>? prepare = null)
    {
        var clean = Validate(payload);
        var dataDir = Path.Combine(targetDirectory, DataDirName);
        var oldTimestampDir = new FileInfo(dataDir).LinkTarget;
        var toRemove = new HashSet<string>(StringComparer.Ordinal);
        if (oldTimestampDir is not null)
        {
            var oldPath = Path.Combine(targetDirectory, oldTimestampDir);
            toRemove = PathsToRemove(clean, oldPath);
            if (!ShouldWrite(clean, oldPath) && toRemove.Count == 0)
            {
                return false;
            }
        }

        var timestampDir = NewTimestampDirectory();
        var timestampName = Path.GetFileName(timestampDir);
        try
        {
            WritePayload(clean, timestampDir);
            prepare?.Invoke(timestampDir);
            CreateUserVisibleFiles(clean);
            var newDataDir = Path.Combine(targetDirectory, NewDataDirName);
            File.Delete(newDataDir);
            File.CreateSymbolicLink(newDataDir, timestampName);
            Libc.Rename(newDataDir, dataDir);
        }
        catch
        {
            Directory.Delete(timestampDir, recursive: true);
            throw;
        }

        foreach (var path in toRemove.Where(p => !p.Contains('/')))
        {
            // Only top-level names are visible symlinks; deeper ones vanish with the old timestamped directory.
            File.Delete(Path.Combine(targetDirectory, path));
        }

        RemoveStaleTimestampDirectories(timestampName);
        return true;
    }

    /// <summary>Upstream's path rules: relative, no ".." element, not starting with "..", bounded lengths.</summary>
    public static string ValidatePath(string path)
    {
        if (path.Length == 0)
        {
            throw new ArgumentException($"invalid path: must not be empty: \"{path}\"");
        }

        if (path.StartsWith('/'))
        {
            throw new ArgumentException($"invalid path: must be relative path: {path}");
        }

        if (path.Length > MaxPathLength)
        {
            throw new ArgumentException($"invalid path: must be less than or equal to {MaxPathLength} characters");
        }

        var items = path.Split('/');
        foreach (var item in items)
        {
            if (item == "..")
            {
                throw new ArgumentException($"invalid path: must not contain '..': {path}");
            }

            if (item.Length > MaxFileNameLength)
            {
                throw new ArgumentException($"invalid path: filenames must be less than or equal to {MaxFileNameLength} characters");
            }
        }

        if (items[0].StartsWith("..", StringComparison.Ordinal) && items[0].Length > 2)
        {
            throw new ArgumentException($"invalid path: must not start with '..': {path}");
        }

        return string.Join('/', items.Where(i => i.Length > 0 && i != "."));
    }

    private static Dictionary<string, FileProjection> Validate(IReadOnlyDictionary<string, FileProjection> payload)
    {
        var clean = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var (path, file) in payload)
        {
            clean[ValidatePath(path)] = file;
        }

        return clean;
    }

    private static bool ShouldWrite(Dictionary<string, FileProjection> payload, string oldTimestampDir)
    {
        foreach (var (path, file) in payload)
        {
            var existing = Path.Combine(oldTimestampDir, path);
            if (!File.Exists(existing) || !File.ReadAllBytes(existing).AsSpan().SequenceEqual(file.Data))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> PathsToRemove(Dictionary<string, FileProjection> payload, string oldTimestampDir)
    {
        var old = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(oldTimestampDir))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(oldTimestampDir, "*", SearchOption.AllDirectories))
            {
                old.Add(Path.GetRelativePath(oldTimestampDir, entry));
            }
        }

        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in payload.Keys)
        {
            // Every parent of a new file stays too (never prune a directory that still holds something).
            for (var p = path; p.Length > 0; p = Path.GetDirectoryName(p) ?? "")
            {
                current.Add(p);
            }
        }

        old.ExceptWith(current);
        return old;
    }

    private string NewTimestampDirectory()
    {
        var stamp = time.GetUtcNow().UtcDateTime.ToString("'..'yyyy'_'MM'_'dd'_'HH'_'mm'_'ss'.'", CultureInfo.InvariantCulture);
        while (true)
        {
            var path = Path.Combine(targetDirectory, stamp + Random.Shared.Next(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(path))
            {
                continue;
            }

            Directory.CreateDirectory(path);

            // 0755 so that group and others can walk the tree whatever the umask.
            UnixModes.Set(path, Modes.Directory);
            return path;
        }
    }

    private static void WritePayload(Dictionary<string, FileProjection> payload, string directory)
    {
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(directory, path);
            var parent = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent);
                for (var d = parent; d != directory; d = Path.GetDirectoryName(d)!)
                {
                    UnixModes.Set(d, Modes.Directory);
                }
            }

            File.WriteAllBytes(full, file.Data);

            // Explicitly, because the create above is subject to the umask.
            UnixModes.Set(full, Modes.FromInt(file.Mode));
        }
    }

    private void CreateUserVisibleFiles(Dictionary<string, FileProjection> payload)
    {
        foreach (var path in payload.Keys)
        {
            var first = path.Split('/')[0];
            var visible = Path.Combine(targetDirectory, first);
            if (new FileInfo(visible).LinkTarget is null)
            {
                File.CreateSymbolicLink(visible, Path.Combine(DataDirName, first));
            }
        }
    }

    private void RemoveStaleTimestampDirectories(string current)
    {
        foreach (var entry in Directory.EnumerateDirectories(targetDirectory, "..*"))
        {
            var name = Path.GetFileName(entry);
            if (name != current && new FileInfo(entry).LinkTarget is null && name.Length > 2 && char.IsDigit(name[2]))
            {
                Directory.Delete(entry, recursive: true);
            }
        }
    }
}
