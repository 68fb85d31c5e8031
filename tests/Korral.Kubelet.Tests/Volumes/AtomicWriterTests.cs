using System.Text;
using Korral.Client.Tests.Fixtures;
using Korral.Kubelet.Volumes.Host;
using Korral.Kubelet.Volumes.Projection;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class AtomicWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("korral-atomic-").FullName;
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void LaysOutTimestampedDataDirectoryDataLinkAndPerKeyLinks()
    {
        var writer = new AtomicWriter(_dir, _time);

        Assert.True(writer.Write(Payload(("a", "1", 420), ("nested/deep/b", "2", 256))));

        var data = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;
        Assert.Matches(@"^\.\.2025_01_01_00_00_00\.\d+$", data);
        Assert.Equal("..data/a", new FileInfo(Path.Combine(_dir, "a")).LinkTarget);
        Assert.Equal("..data/nested", new FileInfo(Path.Combine(_dir, "nested")).LinkTarget);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir, "nested/deep/b")));
        Assert.Equal((UnixFileMode)420, UnixModes.Get(Path.Combine(_dir, data!, "a")));
        Assert.Equal((UnixFileMode)256, UnixModes.Get(Path.Combine(_dir, data!, "nested/deep/b")));
        Assert.Equal((UnixFileMode)493, UnixModes.Get(Path.Combine(_dir, data!)));
        Assert.Equal(Sorted("..data", "a", data!, "nested"), Entries());
    }

    [Fact]
    public void UpdateSwitchesDataLinkPrunesRemovedKeysAndOldDirectory()
    {
        var writer = new AtomicWriter(_dir, _time);
        writer.Write(Payload(("a", "1", 420), ("b", "1", 420)));
        var first = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(writer.Write(Payload(("a", "2", 420), ("c", "2", 420))));

        var second = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;
        Assert.NotEqual(first, second);
        Assert.StartsWith("..2025_01_01_00_00_05.", second, StringComparison.Ordinal);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir, "a")));
        Assert.Equal(Sorted("..data", second!, "a", "c"), Entries());
    }

    [Fact]
    public void UnchangedPayloadIsNotRewritten()
    {
        var writer = new AtomicWriter(_dir, _time);
        writer.Write(Payload(("a", "1", 420)));
        var first = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;

        Assert.False(writer.Write(Payload(("a", "1", 420))));
        Assert.Equal(first, new FileInfo(Path.Combine(_dir, "..data")).LinkTarget);
    }

    [Theory]
    [InlineData("/abs", "invalid path: must be relative path: /abs")]
    [InlineData("a/../b", "invalid path: must not contain '..': a/../b")]
    [InlineData("..hidden", "invalid path: must not start with '..': ..hidden")]
    [InlineData("", "invalid path: must not be empty: \"\"")]
    public void RejectsInvalidPaths(string path, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new AtomicWriter(_dir, _time).Write(Payload((path, "x", 420))));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task ReadersNeverSeeAHalfWrittenSet()
    {
        // Every file of version v is 256 KiB of the byte v: a reader that goes through ..data must find either a whole
        // old set or a whole new set, never a mix or a truncated file.
        const int size = 256 * 1024;
        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write(Versioned(1, size));
        using var done = new CancellationTokenSource();
        var consistentReads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    var target = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;
                    Assert.NotNull(target);
                    var versions = new[] { "a", "b", "c" }.Select(name => File.ReadAllBytes(Path.Combine(_dir, target!, name))).ToList();
                    foreach (var content in versions)
                    {
                        Assert.Equal(size, content.Length);
                        Assert.True(content.AsSpan().IndexOfAnyExcept(content[0]) < 0, "a file mixes versions");
                    }

                    Assert.Single(versions.Select(v => v[0]).Distinct());
                    Interlocked.Increment(ref consistentReads);
                    Assert.Equal(size, File.ReadAllBytes(Path.Combine(_dir, "b")).Length);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    // The set this reader resolved was replaced and pruned meanwhile: it saw nothing partial.
                }
            }
        });

        // Keep rewriting until the reader has checked a good number of sets while writes were going on (bounded).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var round = 0; round < 60 || (Volatile.Read(ref consistentReads) < 50 && DateTime.UtcNow < deadline); round++)
        {
            writer.Write(Versioned((byte)(2 + (round % 200)), size));
        }

        await done.CancelAsync();
        await reader;
        Assert.True(consistentReads >= 50, $"only {consistentReads} reads checked");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Entries() => [.. Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static string[] Sorted(params string[] names) => [.. names.Order(StringComparer.Ordinal)];

    private static Dictionary<string, FileProjection> Payload(params (string Path, string Content, int Mode)[] files) =>
        files.ToDictionary(f => f.Path, f => new FileProjection(Encoding.UTF8.GetBytes(f.Content), f.Mode));

    private static Dictionary<string, FileProjection> Versioned(byte version, int size) =>
        new[] { "a", "b", "c" }.ToDictionary(n => n, _ => new FileProjection(Enumerable.Repeat(version, size).ToArray(), 420));
}
