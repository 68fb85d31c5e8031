namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>Temporary directories for server data, removed when the test is done.</summary>
public static class TempDirs
{
    public static string Create()
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-apiserver-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void Delete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a late finaliser: the OS temp cleaner gets it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
