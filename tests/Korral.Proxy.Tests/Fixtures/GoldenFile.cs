using System.Runtime.CompilerServices;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>
/// Compares rendered text with a file under Golden/ beside the calling test's source (read from the source tree, so a new
/// case needs no project change). KORRAL_UPDATE_GOLDEN=1 rewrites the file instead.
/// </summary>
public static class GoldenFile
{
    public static void Matches(string actual, string name, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("KORRAL_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run with KORRAL_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
