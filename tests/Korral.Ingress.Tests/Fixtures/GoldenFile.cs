using System.Runtime.CompilerServices;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// Test inputs and expected outputs kept beside the test's source (read from the source tree, so a new case needs no
/// project change). KORRAL_UPDATE_GOLDEN=1 rewrites expected files instead of comparing.
/// </summary>
public static class GoldenFile
{
    /// <summary>The directory <paramref name="relative"/> beside the calling test's source file.</summary>
    public static string Directory(string relative, [CallerFilePath] string caller = "") =>
        Path.Combine(Path.GetDirectoryName(caller)!, relative);

    public static void Matches(string actual, string path)
    {
        if (Environment.GetEnvironmentVariable("KORRAL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run with KORRAL_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
