using System.Buffers.Binary;
using System.Diagnostics;
using Korral.Storage.Bench;
using Korral.Storage.Contract;
using Korral.Storage.Sqlite;

// Store benchmark. Usage: dotnet run -c Release --project bench/Korral.Bench.Storage -- [--seconds N] [--dir PATH]
// Every scenario opens a fresh database under --dir (default: a temp directory), with the store's default options.
var seconds = 5.0;
var root = Path.Combine(Path.GetTempPath(), "korral-bench-storage-" + Environment.ProcessId);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--dir": root = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

Directory.CreateDirectory(root);
Console.WriteLine($"# Korral store benchmark: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"# database directory {root}; 1 KiB values; {seconds} s per write scenario");
Console.WriteLine($"# load average at start: {LoadAverage()}");
var duration = TimeSpan.FromSeconds(seconds);
var value = new byte[1024];
Random.Shared.NextBytes(value);
try
{
    Console.WriteLine();
    Console.WriteLine("| writers | creates/s | p50 ms | p99 ms | max ms |");
    Console.WriteLine("|---:|---:|---:|---:|---:|");
    foreach (var writers in new[] { 1, 8, 32 })
    {
        await using var store = await Open(root, $"creates-{writers}");
        var latencies = await Scenarios.CreatesAsync(store, writers, duration, value);
        Console.WriteLine($"| {writers} | {latencies.Count / duration.TotalSeconds:N0} | {Stats.Ms(latencies, 0.50)} | {Stats.Ms(latencies, 0.99)} | {Stats.Ms(latencies, 1.0)} |");
    }

    await using (var store = await Open(root, "range"))
    {
        Console.WriteLine();
        await Scenarios.RangeAsync(store, 10_000, value);
    }

    Console.WriteLine();
    Console.WriteLine("| watchers | events | p50 ms | p99 ms | max ms | (put → every watcher received it) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---|");
    foreach (var watchers in new[] { 1, 10, 100 })
    {
        await using var store = await Open(root, $"watch-{watchers}");
        var latencies = await Scenarios.WatchFanOutAsync(store, watchers, 2000, value);
        Console.WriteLine($"| {watchers} | {latencies.Count:N0} | {Stats.Ms(latencies, 0.50)} | {Stats.Ms(latencies, 0.99)} | {Stats.Ms(latencies, 1.0)} | |");
    }

    await using (var store = await Open(root, "compaction"))
    {
        Console.WriteLine();
        await Scenarios.CompactionAsync(store, Path.Combine(root, "compaction.db"), value);
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

Console.WriteLine();
Console.WriteLine($"# load average at end: {LoadAverage()}");
return 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static Task<SqliteStore> Open(string root, string name) =>
    SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(root, name + ".db"), CompactionInterval = TimeSpan.Zero }, CancellationToken.None);

namespace Korral.Storage.Bench
{
    internal static class Stats
    {
        public static string Ms(List<long> ticks, double quantile)
        {
            if (ticks.Count == 0)
            {
                return "-";
            }

            ticks.Sort();
            var index = (int)Math.Min(ticks.Count - 1, Math.Ceiling(quantile * ticks.Count) - 1);
            return (ticks[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    internal static class Scenarios
    {
        /// <summary>Each writer creates new keys back to back for the duration; returns every txn latency.</summary>
        public static async Task<List<long>> CreatesAsync(IKeyValueStore store, int writers, TimeSpan duration, byte[] value)
        {
            // Warm up (JIT, SQLite cache) outside the measurement.
            for (var i = 0; i < 200; i++)
            {
                await store.TxnAsync(Txn.Create($"/warmup/{i}", value), CancellationToken.None);
            }

            var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var perWriter = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var latencies = new List<long>(100_000);
                for (var n = 0; Stopwatch.GetTimestamp() < stop; n++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var result = await store.TxnAsync(Txn.Create($"/registry/pods/bench/w{w}-{n}", value), CancellationToken.None);
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                    if (!result.Succeeded)
                    {
                        throw new InvalidOperationException("create failed");
                    }
                }

                return latencies;
            })));
            return perWriter.SelectMany(l => l).ToList();
        }

        public static async Task RangeAsync(IKeyValueStore store, int keys, byte[] value)
        {
            for (var start = 0; start < keys; start += 500)
            {
                await Task.WhenAll(Enumerable.Range(start, 500).Select(i =>
                    store.TxnAsync(Txn.Create($"/registry/pods/ns{i % 10}/pod-{i:D6}", value), CancellationToken.None)));
            }

            var filled = await store.GetCurrentRevisionAsync(CancellationToken.None);
            await store.TxnAsync(Txn.Create("/registry/pods/ns0/late", value), CancellationToken.None); // makes `filled` history

            Console.WriteLine("| range over 10,000 keys of 1 KiB | median ms | keys |");
            Console.WriteLine("|---|---:|---:|");
            await Measure("latest (memory), all keys", () => store.RangeAsync(RangeRequest.Prefix("/registry/pods/"), CancellationToken.None), 20);
            await Measure("latest (memory), limit 500", () => store.RangeAsync(RangeRequest.Prefix("/registry/pods/", limit: 500), CancellationToken.None), 20);
            await Measure("latest (memory), count only", () => store.RangeAsync(RangeRequest.Prefix("/registry/pods/") with { CountOnly = true }, CancellationToken.None), 20);
            await Measure("one namespace (1,000 keys)", () => store.RangeAsync(RangeRequest.Prefix("/registry/pods/ns3/"), CancellationToken.None), 20);
            await Measure("at a past revision (SQLite), all keys", () => store.RangeAsync(RangeRequest.Prefix("/registry/pods/", filled), CancellationToken.None), 5);
            await Measure("at a past revision (SQLite), limit 500", () => store.RangeAsync(RangeRequest.Prefix("/registry/pods/", filled, limit: 500), CancellationToken.None), 5);

            static async Task Measure(string name, Func<Task<RangeResult>> read, int runs)
            {
                var ticks = new List<long>();
                long count = 0;
                await read(); // warm-up
                for (var i = 0; i < runs; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var result = await read();
                    ticks.Add(Stopwatch.GetTimestamp() - started);
                    count = result.Kvs.Count == 0 ? result.Count : result.Kvs.Count;
                }

                Console.WriteLine($"| {name} | {Stats.Ms(ticks, 0.5)} | {count:N0} |");
            }
        }

        /// <summary>One writer updates keys back to back; every watcher records when each event arrives.</summary>
        public static async Task<List<long>> WatchFanOutAsync(IKeyValueStore store, int watchers, int events, byte[] value)
        {
            var start = await store.GetCurrentRevisionAsync(CancellationToken.None) + 1;
            using var cancel = new CancellationTokenSource();
            var consumers = Enumerable.Range(0, watchers).Select(_ => Task.Run(async () =>
            {
                var latencies = new List<long>(events);
                await foreach (var e in store.WatchAsync(WatchRequest.Prefix("/registry/leases/", start), cancel.Token))
                {
                    latencies.Add(Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(e.Kv.Value.Span));
                    if (latencies.Count == events)
                    {
                        break;
                    }
                }

                return latencies;
            })).ToArray();

            var payload = (byte[])value.Clone();
            for (var i = 0; i < events; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
                await store.TxnAsync(new Txn([], [new PutOp($"/registry/leases/node-{i % 100}", payload)], []), CancellationToken.None);
            }

            var all = await Task.WhenAll(consumers);
            return all.SelectMany(l => l).ToList();
        }

        /// <summary>Fills history like busy node leases do, then compacts it while a writer keeps writing.</summary>
        public static async Task CompactionAsync(SqliteStore store, string path, byte[] value)
        {
            const int keys = 1000;
            const int rounds = 100;
            for (var round = 0; round < rounds; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, keys).Select(k =>
                    store.TxnAsync(new Txn([], [new PutOp($"/registry/leases/node-{k:D4}", value)], []), CancellationToken.None)));
            }

            var target = await store.GetCurrentRevisionAsync(CancellationToken.None);
            var sizeBefore = DatabaseBytes(path);
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                var latencies = new List<long>();
                while (!stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    await store.TxnAsync(new Txn([], [new PutOp("/registry/leases/busy", value)], []), CancellationToken.None);
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                }

                return latencies;
            });
            var compactStarted = Stopwatch.GetTimestamp();
            await store.CompactAsync(target, CancellationToken.None);
            var compactMs = (Stopwatch.GetTimestamp() - compactStarted) * 1000.0 / Stopwatch.Frequency;
            await stop.CancelAsync();
            var during = await writer;
            await Task.Delay(1500); // let the background checkpoint copy the WAL back before measuring the file
            Console.WriteLine($"| compaction of {keys * rounds:N0} rows ({keys:N0} keys × {rounds} revisions) | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| compaction + incremental vacuum, ms | {compactMs:N0} |");
            Console.WriteLine($"| database + WAL before, MiB | {sizeBefore / 1048576.0:N1} |");
            Console.WriteLine($"| database + WAL after, MiB | {DatabaseBytes(path) / 1048576.0:N1} |");
            Console.WriteLine($"| concurrent writer during compaction: puts | {during.Count:N0} |");
            Console.WriteLine($"| concurrent writer: p50 / p99 / max ms | {Stats.Ms(during, 0.5)} / {Stats.Ms(during, 0.99)} / {Stats.Ms(during, 1.0)} |");
        }

        private static long DatabaseBytes(string path) =>
            new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
    }
}
