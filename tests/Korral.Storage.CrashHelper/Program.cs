using Korral.Storage.Contract;
using Korral.Storage.Sqlite;

// Usage: Korral.Storage.CrashHelper <database path> <writers>
// Opens the store, then each writer creates keys /crash/<pid>/<writer>/<n> forever. A line "<key> <revision>" is printed
// only after TxnAsync has returned, i.e. after the write is acknowledged as durable. The parent kills this process
// with SIGKILL at some point and checks that every printed key survived.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Korral.Storage.CrashHelper <database path> <writers>");
    return 2;
}

var writers = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = args[0], CompactionInterval = TimeSpan.Zero }, CancellationToken.None);
var output = Console.Out; // synchronized; stdout auto-flushes
output.WriteLine("ready");
var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var n = 0; ; n++)
    {
        var key = $"/crash/{Environment.ProcessId}/{w}/{n}";
        var result = await store.TxnAsync(Txn.Create(key, System.Text.Encoding.UTF8.GetBytes($"{w}:{n}")), CancellationToken.None);
        if (!result.Succeeded)
        {
            Console.Error.WriteLine($"create of {key} failed: it already exists");
            Environment.Exit(3);
        }

        output.WriteLine($"{key} {result.Revision}");
    }
}));
await Task.WhenAll(tasks);
return 0;
