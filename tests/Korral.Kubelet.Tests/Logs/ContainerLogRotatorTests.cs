using System.Globalization;
using System.IO.Compression;
using Korral.Client.Tests.Fixtures;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Logs;

public sealed class ContainerLogRotatorTests : IDisposable
{
    private const string Id = "c0ffee";

    private readonly TempDir _dir = new();
    private readonly FakeLogRuntime _runtime = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _log;

    public ContainerLogRotatorTests()
    {
        _log = _dir.File("0.log");
        _runtime.AddContainer(Id, _log);
    }

    public void Dispose() => _dir.Dispose();

    private ContainerLogRotator Rotator(int maxSize = 100, int maxFiles = 5) =>
        new(_runtime, new ContainerLogRotatorOptions { MaxSize = maxSize, MaxFiles = maxFiles }, _time);

    private string Stamp() => _time.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    private void Write(int bytes, char fill = 'x') => File.AppendAllText(_log, new string(fill, bytes));

    private List<string> Files() => Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    [Fact]
    public async Task A_small_log_stays()
    {
        Write(99);
        Assert.False(await Rotator().RotateAsync(Id, _log, CancellationToken.None));
        Assert.Equal(["0.log"], Files());
        Assert.Empty(_runtime.Reopened);
    }

    [Fact]
    public async Task A_log_at_the_limit_is_renamed_with_a_timestamp_and_reopened()
    {
        Write(100);
        var stamp = Stamp();
        Assert.True(await Rotator().RotateAsync(Id, _log, CancellationToken.None));

        Assert.Equal(["0.log", $"0.log.{stamp}"], Files());
        Assert.Equal(0, new FileInfo(_log).Length);
        Assert.Equal(100, new FileInfo($"{_log}.{stamp}").Length);
        Assert.Equal([Id], _runtime.Reopened);
    }

    [Fact]
    public async Task Older_rotated_files_are_compressed_and_the_oldest_removed()
    {
        var rotator = Rotator(maxFiles: 4);
        var stamps = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            Write(100, (char)('a' + i));
            stamps.Add(Stamp());
            Assert.True(await rotator.RotateAsync(Id, _log, CancellationToken.None));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        // Four files: the current one, the newest rotated (not compressed yet) and two compressed ones.
        Assert.Equal(["0.log", $"0.log.{stamps[2]}.gz", $"0.log.{stamps[3]}.gz", $"0.log.{stamps[4]}"], Files());
        Assert.Equal(new string('c', 100), await GunzipAsync($"{_log}.{stamps[2]}.gz"));
        Assert.Equal(new string('d', 100), await GunzipAsync($"{_log}.{stamps[3]}.gz"));
        Assert.Equal(new string('e', 100), await File.ReadAllTextAsync($"{_log}.{stamps[4]}"));
    }

    [Fact]
    public async Task With_two_files_only_the_newest_rotated_file_is_kept()
    {
        var rotator = Rotator(maxFiles: 2);
        Write(100, 'a');
        await rotator.RotateAsync(Id, _log, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        Write(100, 'b');
        var stamp = Stamp();
        await rotator.RotateAsync(Id, _log, CancellationToken.None);

        Assert.Equal(["0.log", $"0.log.{stamp}"], Files());
        Assert.Equal(new string('b', 100), await File.ReadAllTextAsync($"{_log}.{stamp}"));
    }

    [Fact]
    public async Task Leftovers_of_an_interrupted_compression_are_removed()
    {
        File.WriteAllText($"{_log}.20240101-000000", "compressed already");
        await using (var gz = new GZipStream(File.Create($"{_log}.20240101-000000.gz"), CompressionLevel.Fastest))
        {
            gz.Write("compressed already"u8);
        }

        File.WriteAllText($"{_log}.20240101-000010.tmp", "half a gzip");
        Write(100);
        var stamp = Stamp();
        await Rotator().RotateAsync(Id, _log, CancellationToken.None);

        Assert.Equal(["0.log", "0.log.20240101-000000.gz", $"0.log.{stamp}"], Files());
    }

    [Fact]
    public async Task Other_attempts_logs_are_left_alone()
    {
        File.WriteAllText(_dir.File("1.log"), new string('y', 500));
        File.WriteAllText(_dir.File("1.log.20240101-000000"), "rotated log of another attempt");
        Write(100);
        var stamp = Stamp();
        await Rotator(maxFiles: 2).RotateAsync(Id, _log, CancellationToken.None);

        Assert.Equal(["0.log", $"0.log.{stamp}", "1.log", "1.log.20240101-000000"], Files());
    }

    [Fact]
    public async Task A_refused_reopen_puts_the_file_back()
    {
        Write(100);
        _runtime.FailWith = CriException.NotFound;

        var error = await Assert.ThrowsAsync<CriException>(() => Rotator().RotateAsync(Id, _log, CancellationToken.None));
        Assert.True(error.IsNotFound);
        Assert.Equal(["0.log"], Files());
        Assert.Equal(100, new FileInfo(_log).Length);
    }

    [Fact]
    public async Task A_missing_log_is_recreated_by_reopening()
    {
        Assert.False(await Rotator().RotateAsync(Id, _log, CancellationToken.None));
        Assert.Equal([Id], _runtime.Reopened);
        Assert.Equal(["0.log"], Files());
    }

    [Theory]
    [InlineData(0, 5, "--container-log-max-size 0 must be a positive size such as 10Mi")]
    [InlineData(10, 1, "--container-log-max-files 1 must be at least 2 (the current file and one rotated file)")]
    public void Invalid_options_are_refused_at_construction(long maxSize, int maxFiles, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ContainerLogRotator(_runtime, new ContainerLogRotatorOptions { MaxSize = maxSize, MaxFiles = maxFiles }, _time));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> GunzipAsync(string path)
    {
        await using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return await reader.ReadToEndAsync();
    }
}
