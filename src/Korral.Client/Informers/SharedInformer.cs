using Korral.Api.Resources;

namespace Korral.Client.Informers;

/// <summary>
/// Keeps a local cache (<see cref="Indexer"/>, read through <see cref="Lister"/>) of one resource in step with the API
/// server and tells handlers what changed. One list (paged), then one watch at a time with bookmarks:
/// <list type="bullet">
/// <item>a watch the server ends (timeoutSeconds, its own limit, a slow-watcher cut-off) resumes from the last seen
/// resourceVersion, without a list;</item>
/// <item>410 Expired (the version left the server's window, e.g. after a restart) relists and turns what vanished
/// meanwhile into OnDelete(…, finalStateUnknown: true);</item>
/// <item>other failures back off exponentially with jitter (800 ms → 30 s) and retry: transport errors resume the
/// watch, API errors relist.</item>
/// </list>
/// Share one per resource through <see cref="SharedInformerFactory"/>: every controller that needs pods uses the same
/// watch and cache.
/// </summary>
public sealed partial class SharedInformer<T> : ISharedInformer
    where T : class
{
    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly Action<string> _log;

    // Held while the cache changes and the matching notifications are queued, and while a handler is added (snapshot
    // + registration), so that each handler sees every change exactly once, in order.
    private readonly Lock _dispatch = new();
    private readonly List<Listener> _listeners = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private volatile string? _resourceVersion;
    private int _lists;
    private int _watches;

    public SharedInformer(ResourceClient<T> client, InformerOptions? options = null)
    {
        _options = options ?? new InformerOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid informer options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        _client = client;
        var name = client.Resource.QualifiedName;
        var log = _options.Log ?? (_ => { });
        _log = line => log($"informer {name}: {line}");
        Indexer = new Indexer<T>();
        Lister = new Lister<T>(Indexer);
    }

    public ResourceInfo Resource => _client.Resource;

    public InformerOptions Options => _options;

    /// <summary>The cache. Add indices before handlers rely on them (an index added later indexes what is cached).</summary>
    public Indexer<T> Indexer { get; }

    public Lister<T> Lister { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    public string? LastSyncResourceVersion => _resourceVersion;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Lists done so far (1 after the first sync; each relist adds one).</summary>
    public int ListCount => Volatile.Read(ref _lists);

    /// <summary>Watch requests made so far.</summary>
    public int WatchCount => Volatile.Read(ref _watches);

    /// <summary>For tests: called each time a watch stream ends without an error (the informer then resumes).</summary>
    internal Action? WatchEnded { get; set; }

    /// <summary>
    /// Adds a handler. Added to a running, synced informer, it first gets OnAdd for every cached object.
    /// </summary>
    public IEventHandlerRegistration AddEventHandler(IResourceEventHandler<T> handler)
    {
        lock (_dispatch)
        {
            var listener = new Listener(this, handler);
            _listeners.Add(listener);
            if (HasSynced)
            {
                foreach (var obj in Indexer.List())
                {
                    listener.Post(new Notification(NotificationKind.Add, null, obj, true));
                }

                listener.Post(Notification.Synced);
            }

            listener.Start();
            return listener;
        }
    }

    /// <summary>Adds a handler from delegates (the flags of OnAdd and OnDelete dropped).</summary>
    public IEventHandlerRegistration AddEventHandler(Action<T>? onAdd = null, Action<T, T>? onUpdate = null, Action<T>? onDelete = null) =>
        AddEventHandler(new ResourceEventHandler<T>
        {
            OnAdd = onAdd is null ? null : (o, _) => onAdd(o),
            OnUpdate = onUpdate,
            OnDelete = onDelete is null ? null : (o, _) => onDelete(o),
        });

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException($"the informer of {Resource.QualifiedName} is already running (an informer runs once)");
        }

        using var resync = _options.ResyncPeriod is { } period
            ? _options.Time.CreateTimer(static state => ((SharedInformer<T>)state!).Resync(), this, period, period)
            : null;
        try
        {
            await ListAndWatchAsync(cancellationToken);
        }
        finally
        {
            lock (_dispatch)
            {
                foreach (var listener in _listeners)
                {
                    listener.Complete();
                }
            }
        }
    }

    private void ApplyList(KubeList<T> list)
    {
        lock (_dispatch)
        {
            var first = !HasSynced;
            var changes = Indexer.Replace(list.Items);
            foreach (var listener in _listeners)
            {
                foreach (var obj in changes.Added)
                {
                    listener.Post(new Notification(NotificationKind.Add, null, obj, first));
                }

                foreach (var (old, obj) in changes.Updated)
                {
                    listener.Post(new Notification(NotificationKind.Update, old, obj, false));
                }

                foreach (var old in changes.Removed)
                {
                    listener.Post(new Notification(NotificationKind.Delete, old, null, true));
                }

                if (first)
                {
                    listener.Post(Notification.Synced);
                }
            }

            _resourceVersion = list.ResourceVersion;
            if (!first && (changes.Added.Count > 0 || changes.Updated.Count > 0 || changes.Removed.Count > 0))
            {
                _log($"relist at resourceVersion {list.ResourceVersion}: {changes.Added.Count} added, {changes.Updated.Count} updated, " +
                     $"{changes.Removed.Count} deleted while unwatched");
            }

            _synced.TrySetResult();
        }
    }

    private void ApplyEvent(WatchEvent<T> e)
    {
        lock (_dispatch)
        {
            switch (e.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    var old = Indexer.Upsert(e.Object);
                    Post(old is null
                        ? new Notification(NotificationKind.Add, null, e.Object, false)
                        : new Notification(NotificationKind.Update, old, e.Object, false));
                    break;
                case WatchEventType.Deleted:
                    Indexer.Remove(KubeObject.Key(e.Object));
                    Post(new Notification(NotificationKind.Delete, e.Object, null, false));
                    break;
            }

            if (KubeObject.ResourceVersion(e.Object) is { Length: > 0 } rv)
            {
                _resourceVersion = rv;
            }
        }
    }

    private void Resync()
    {
        lock (_dispatch)
        {
            if (!HasSynced || _listeners.Count == 0)
            {
                return;
            }

            foreach (var obj in Indexer.List())
            {
                Post(new Notification(NotificationKind.Update, obj, obj, false));
            }
        }
    }

    // Under _dispatch.
    private void Post(Notification notification)
    {
        foreach (var listener in _listeners)
        {
            listener.Post(notification);
        }
    }

    private void Remove(Listener listener)
    {
        lock (_dispatch)
        {
            _listeners.Remove(listener);
        }
    }
}
