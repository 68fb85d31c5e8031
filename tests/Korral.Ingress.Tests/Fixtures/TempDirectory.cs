namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// A directory for one test under /tmp, world-traversable (0755, unlike Directory.CreateTempSubdirectory's 0700) as a
/// node's data dir is: nginx's workers run as nobody.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "korral-ingress-tests", $"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
        foreach (var directory in new[] { System.IO.Path.GetDirectoryName(Path)!, Path })
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
