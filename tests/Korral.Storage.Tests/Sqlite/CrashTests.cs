using System.Diagnostics;
using System.Globalization;
using Korral.Storage.Contract;
using Korral.Storage.Sqlite;
using Korral.Storage.Tests.Contract;
using Xunit;

namespace Korral.Storage.Tests.Sqlite;

/// <summary>
/// Kills a writing process with SIGKILL and checks that every write it had acknowledged is in the database.
/// The child is tests/Korral.Storage.CrashHelper, copied next to this assembly by the project reference.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private static readonly TimeSpan Timeout = WatchProbe.Timeout;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "korral-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Every_acknowledged_write_survives_a_kill_9_of_the_writer()
    {
        var dbPath = Path.Combine(_directory, "state.db");
        var acked = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var run = 0; run < 2; run++)
        {
            // Kill it twice at random points: the second run also proves a killed database reopens and carries on.
            await RunAndKillAsync(dbPath, 300 + Random.Shared.Next(700), acked);
        }

        await using var store = await SqliteStore.OpenAsync(
            new SqliteStoreOptions { DatabasePath = dbPath, CompactionInterval = TimeSpan.Zero }, CancellationToken.None);
        var stored = (await store.RangeAsync(RangeRequest.Prefix("/crash/"), CancellationToken.None)).Kvs.ToDictionary(kv => kv.Key);
        var missing = acked.Keys.Where(k => !stored.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged keys were lost, e.g. {string.Join(", ", missing.Take(5))}");
        foreach (var (key, revision) in acked)
        {
            Assert.Equal(revision, stored[key].ModRevision);
        }

        Assert.Equal(acked.Count, acked.Values.Distinct().Count());
        Assert.True(await store.GetCurrentRevisionAsync(CancellationToken.None) >= acked.Values.Max());
    }

    private static async Task RunAndKillAsync(string dbPath, int killAfter, Dictionary<string, long> acked)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Korral.Storage.CrashHelper.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(helper);
        start.ArgumentList.Add(dbPath);
        start.ArgumentList.Add("8");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput;
        try
        {
            Assert.Equal("ready", await ReadLineAsync(stdout, stderr));
            var before = acked.Count;
            while (acked.Count - before < killAfter)
            {
                Record(await ReadLineAsync(stdout, stderr) ?? throw new InvalidOperationException($"helper exited early: {await stderr}"), acked);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no finalizers, no disposal, no flush
        }

        // Lines already in the pipe were printed after their write was acknowledged: they count too.
        while (await stdout.ReadLineAsync().WaitAsync(Timeout) is { } line)
        {
            Record(line, acked);
        }

        await process.WaitForExitAsync().WaitAsync(Timeout);
    }

    private static async Task<string?> ReadLineAsync(StreamReader stdout, Task<string> stderr)
    {
        try
        {
            return await stdout.ReadLineAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the crash helper printed nothing for {Timeout}; stderr: {(stderr.IsCompleted ? await stderr : "(running)")}");
        }
    }

    private static void Record(string line, Dictionary<string, long> acked)
    {
        var parts = line.Split(' ');
        if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            acked[parts[0]] = revision; // a line cut by the kill does not parse and is not counted
        }
    }
}
