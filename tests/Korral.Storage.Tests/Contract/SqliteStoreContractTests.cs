using Korral.Storage.Contract;
using Korral.Storage.Sqlite;

namespace Korral.Storage.Tests.Contract;

/// <summary>The contract suite on the embedded SQLite store, one fresh database per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "korral-store-tests", Guid.NewGuid().ToString("N"));

    protected override async Task<IKeyValueStore> OpenStoreAsync(StoreTestOptions options) =>
        await SqliteStore.OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = Path.Combine(_directory, "state.db"),
            CompactionInterval = TimeSpan.Zero,
            WatchBufferSize = options.WatchBufferSize,
            EventWindowSize = 64, // small, so that watch catch-up from SQLite is exercised too
        }, CancellationToken.None);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
