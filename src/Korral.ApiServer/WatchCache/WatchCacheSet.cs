using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.Storage.Contract;

namespace Korral.ApiServer.WatchCache;

/// <summary>
/// All watch caches, fed by ONE store watch over /registry/ that applies every change in revision order. Because one
/// loop sees every revision, "the caches have caught up with revision R" is a single number, which is what consistent
/// reads wait on (etcd's progress notifications are not needed).
/// </summary>
public sealed class WatchCacheSet : IAsyncDisposable
{
    public const string RootPrefix = "/registry/";

    private readonly IKeyValueStore _store;
    private readonly IObjectIndexer _indexer;
    private readonly Action<string> _log;
    private readonly Dictionary<string, (ResourceCache Cache, ResourceInfo Resource)> _byPrefix = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _revisionGate = new();
    private TaskCompletionSource _revisionAdvanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private Task? _loop;
    private int _disposed;

    public WatchCacheSet(IKeyValueStore store, IResourceCatalog catalog, IObjectIndexer indexer, Action<string> log, int windowSize = 10_000, int watcherCapacity = 1_000)
    {
        _store = store;
        _indexer = indexer;
        _log = log;
        foreach (var r in catalog.All)
        {
            if (r.StoragePrefix.Length == 0 || _byPrefix.ContainsKey(r.StoragePrefix))
            {
                continue;
            }

            _byPrefix[r.StoragePrefix] = (new ResourceCache(r.StoragePrefix, windowSize, watcherCapacity, () => Revision), r);
        }
    }

    /// <summary>The revision every cache reflects.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    public ResourceCache? For(ResourceInfo resource) =>
        _byPrefix.TryGetValue(resource.StoragePrefix, out var entry) ? entry.Cache : null;

    /// <summary>Lists everything, fills the caches and starts following the store.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var revision = await LoadAsync(cancellationToken);
        _loop = Task.Run(() => FollowAsync(revision, _stop.Token), CancellationToken.None);
    }

    private async Task<long> LoadAsync(CancellationToken cancellationToken)
    {
        var range = await _store.RangeAsync(RangeRequest.Prefix(RootPrefix), cancellationToken);
        var groups = _byPrefix.ToDictionary(p => p.Key, _ => new List<CachedObject>());
        foreach (var kv in range.Kvs)
        {
            if (Route(kv.Key) is { } route && Decode(route.Resource, kv.Key, kv.Value, kv.ModRevision) is { } obj)
            {
                groups[route.Cache.Prefix].Add(obj);
            }
        }

        foreach (var (prefix, objects) in groups)
        {
            _byPrefix[prefix].Cache.Reset(objects, range.Revision);
        }

        SetRevision(range.Revision);
        return range.Revision;
    }

    private async Task FollowAsync(long revision, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in _store.WatchAsync(WatchRequest.Prefix(RootPrefix, revision + 1), cancellationToken))
                {
                    Apply(e);
                    revision = e.Revision;
                    SetRevision(revision);
                    backoff = TimeSpan.FromMilliseconds(100);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WatchLaggedException or CompactedException)
            {
                // We fell behind the store: reload everything. Watchers are closed and will re-watch or re-list.
                _log($"watch cache fell behind the store ({ex.Message}); reloading");
                revision = await LoadAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                _log($"watch cache: store watch failed: {ex.Message}; retrying in {backoff.TotalMilliseconds} ms");
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private void Apply(WatchEvent e)
    {
        if (Route(e.Kv.Key) is not { } route)
        {
            return;
        }

        if (e.Type == WatchEventType.Delete)
        {
            // The DELETED object is the last state, stamped with the deleting revision as upstream does.
            var last = e.PrevKv is null ? null : Decode(route.Resource, e.Kv.Key, e.PrevKv.Value, e.Kv.ModRevision);
            if (last is not null)
            {
                route.Cache.Apply(CacheEventType.Deleted, last);
            }

            return;
        }

        if (Decode(route.Resource, e.Kv.Key, e.Kv.Value, e.Kv.ModRevision) is { } obj)
        {
            route.Cache.Apply(e.Kv.CreateRevision == e.Kv.ModRevision ? CacheEventType.Added : CacheEventType.Modified, obj);
        }
    }

    private (ResourceCache Cache, ResourceInfo Resource)? Route(string key)
    {
        // Longest registered prefix wins: "/registry/services/specs/" before "/registry/services/".
        (ResourceCache, ResourceInfo)? best = null;
        var slash = RootPrefix.Length - 1;
        while ((slash = key.IndexOf('/', slash + 1)) >= 0)
        {
            if (_byPrefix.TryGetValue(key[..(slash + 1)], out var entry))
            {
                best = entry;
            }
        }

        return best;
    }

    /// <summary>Turns a stored value into a cached object (resourceVersion stamped, labels and selector fields extracted).</summary>
    public CachedObject? Decode(ResourceInfo resource, string key, ReadOnlyMemory<byte> value, long revision)
    {
        try
        {
            if (JsonNode.Parse(value.Span) is not JsonObject obj)
            {
                return null;
            }

            var meta = obj["metadata"] as JsonObject ?? new JsonObject();
            obj["metadata"] = meta;
            meta["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (meta["labels"] is JsonObject l)
            {
                foreach (var (k, v) in l)
                {
                    labels[k] = v?.GetValue<string>() ?? "";
                }
            }

            return new CachedObject
            {
                Key = key,
                Namespace = (string?)meta["namespace"] ?? "",
                Name = (string?)meta["name"] ?? "",
                ResourceVersion = revision,
                Json = JsonSerializer.SerializeToUtf8Bytes(obj),
                Labels = labels,
                Fields = _indexer.ExtractFields(resource, obj),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            _log($"watch cache: skipping undecodable value at {key}: {ex.Message}");
            return null;
        }
    }

    private void SetRevision(long revision)
    {
        TaskCompletionSource advanced;
        lock (_revisionGate)
        {
            if (revision <= _revision)
            {
                return;
            }

            Interlocked.Exchange(ref _revision, revision);
            advanced = _revisionAdvanced;
            _revisionAdvanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        advanced.TrySetResult();
    }

    /// <summary>Waits until the caches reflect <paramref name="revision"/>; false on timeout.</summary>
    public async Task<bool> WaitForRevisionAsync(long revision, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task next;
            lock (_revisionGate)
            {
                if (_revision >= revision)
                {
                    return true;
                }

                next = _revisionAdvanced.Task;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary>Waits until the caches reflect everything the store has committed (a consistent read).</summary>
    public async Task WaitUntilFreshAsync(CancellationToken cancellationToken)
    {
        var current = await _store.GetCurrentRevisionAsync(cancellationToken);
        if (!await WaitForRevisionAsync(current, TimeSpan.FromSeconds(3), cancellationToken))
        {
            throw Errors.ApiErrors.TooLargeResourceVersion(current, Revision);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }
}
