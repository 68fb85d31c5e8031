using System.Text;

namespace Korral.Kubelet.Containerd;

/// <summary>
/// Writes a file so readers never see half of it: a temp file beside it, then a rename over it. containerd and the CNI
/// library watch or re-read these files while they are written (the CRI plugin reloads the CNI conf dir on change).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> unless the file already holds exactly it; true when it was written.</summary>
    public static bool WriteIfChanged(string path, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        try
        {
            if (File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
        }

        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"{path} has no directory", nameof(path));
        Directory.CreateDirectory(directory);
        // The suffix keeps the temp file out of loaders that pick files by extension (.conflist, .toml).
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():n}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
