using System.Text;
using Korral.Storage.Contract;
using Xunit;

namespace Korral.Storage.Tests.Contract;

/// <summary>
/// The behaviour every <see cref="IKeyValueStore"/> backend must have (etcd v3 semantics). A backend's test class
/// derives from this and says how to open a store; xunit runs every test against it. Each test works under its own key
/// prefix and only relies on revisions relative to the ones it observes, so the suite also runs against a shared etcd.
/// Tests wait for events with timeouts; none sleeps to synchronise.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = WatchProbe.Timeout;

    /// <summary>The key prefix of this test: no other test writes under it.</summary>
    protected readonly string P = $"/registry/contract/{Guid.NewGuid():N}/";

    protected IKeyValueStore Store { get; private set; } = null!;

    /// <summary>
    /// Opens the backend under test. Within one test every call must open the same data (a reopened store sees what
    /// the closed one wrote); each test (each instance of this class) may get fresh data.
    /// </summary>
    protected abstract Task<IKeyValueStore> OpenStoreAsync(StoreTestOptions options);

    public virtual async Task InitializeAsync() => Store = await OpenStoreAsync(new StoreTestOptions());

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Closes the store and opens it again over the same data.</summary>
    protected async Task ReopenAsync(StoreTestOptions? options = null)
    {
        await Store.DisposeAsync();
        Store = await OpenStoreAsync(options ?? new StoreTestOptions());
    }

    protected static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    protected static string S(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Unconditional put; returns its revision.</summary>
    protected async Task<long> PutAsync(string key, string value, long lease = 0)
    {
        var result = await Store.TxnAsync(new Txn([], [new PutOp(key, B(value), lease)], []), Ct);
        Assert.True(result.Succeeded);
        return result.Revision;
    }

    /// <summary>Unconditional delete; returns the store revision after it.</summary>
    protected async Task<long> DeleteAsync(string key)
    {
        var result = await Store.TxnAsync(new Txn([], [new DeleteOp(key)], []), Ct);
        return result.Revision;
    }

    protected async Task<KeyValue?> GetAsync(string key, long revision = 0)
    {
        var result = await Store.RangeAsync(new RangeRequest(key, Revision: revision), Ct);
        Assert.True(result.Kvs.Count <= 1, $"a single-key range returned {result.Kvs.Count} keys");
        return result.Kvs.Count == 0 ? null : result.Kvs[0];
    }

    protected async Task<long> RevisionAsync() => await Store.GetCurrentRevisionAsync(Ct);

    protected static void AssertKv(KeyValue? kv, string key, string value, long create, long mod, long version)
    {
        Assert.NotNull(kv);
        Assert.Equal(key, kv.Key);
        Assert.Equal(value, S(kv.Value));
        Assert.Equal(create, kv.CreateRevision);
        Assert.Equal(mod, kv.ModRevision);
        Assert.Equal(version, kv.Version);
    }

    protected static void AssertPut(WatchEvent e, string key, string value, long revision, string? prevValue)
    {
        Assert.Equal(WatchEventType.Put, e.Type);
        Assert.Equal(key, e.Kv.Key);
        Assert.Equal(value, S(e.Kv.Value));
        Assert.Equal(revision, e.Revision);
        if (prevValue is null)
        {
            Assert.Null(e.PrevKv);
        }
        else
        {
            Assert.NotNull(e.PrevKv);
            Assert.Equal(key, e.PrevKv.Key);
            Assert.Equal(prevValue, S(e.PrevKv.Value));
            Assert.True(e.PrevKv.ModRevision < revision);
        }
    }

    protected static void AssertDelete(WatchEvent e, string key, long revision, string prevValue)
    {
        Assert.Equal(WatchEventType.Delete, e.Type);
        Assert.Equal(key, e.Kv.Key);
        Assert.Equal(revision, e.Revision);
        Assert.Equal(0, e.Kv.Value.Length);
        Assert.NotNull(e.PrevKv);
        Assert.Equal(prevValue, S(e.PrevKv.Value));
    }

    protected static async Task Within(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not finish within {Timeout}");
        }
    }

    protected static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not finish within {Timeout}");
        }
    }
}
