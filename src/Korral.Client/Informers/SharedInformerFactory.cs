using Korral.Api.Resources;

namespace Korral.Client.Informers;

/// <summary>
/// Hands out one <see cref="SharedInformer{T}"/> per resource (and namespace/selector), so that every controller of a
/// process that needs pods shares one watch and one cache. Call <see cref="Start"/> once the controllers have asked for
/// their informers and added their handlers; informers asked for after that start at once.
/// </summary>
public sealed class SharedInformerFactory : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly InformerOptions _defaults;
    private readonly Lock _lock = new();
    private readonly Dictionary<Key, ISharedInformer> _informers = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _linked;
    private CancellationToken? _started;

    public SharedInformerFactory(KubeClient client, InformerOptions? defaults = null)
    {
        _client = client;
        _defaults = defaults ?? new InformerOptions();
    }

    /// <summary>The informer of the built-in resource of <typeparamref name="T"/>, with the factory's options.</summary>
    public SharedInformer<T> Informer<T>()
        where T : class => Informer<T>(_client.Resource<T>().Resource, null);

    /// <summary>
    /// The informer of <paramref name="resource"/> for <paramref name="options"/> (namespace and selectors pick the
    /// informer; the other settings of the first caller win).
    /// </summary>
    public SharedInformer<T> Informer<T>(ResourceInfo resource, InformerOptions? options)
        where T : class
    {
        options ??= _defaults;
        var key = new Key(typeof(T), resource.GroupVersion, resource.Plural, options.Namespace, options.LabelSelector, options.FieldSelector);
        lock (_lock)
        {
            if (_informers.TryGetValue(key, out var existing))
            {
                return (SharedInformer<T>)existing;
            }

            var informer = new SharedInformer<T>(_client.Resource<T>(resource), options);
            _informers.Add(key, informer);
            if (_started is not null)
            {
                Run(informer);
            }

            return informer;
        }
    }

    /// <summary>Starts every informer not yet running; they run until <paramref name="cancellationToken"/> or disposal.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_started is not null)
            {
                return;
            }

            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
            _started = _linked.Token;
            foreach (var informer in _informers.Values)
            {
                Run(informer);
            }
        }
    }

    /// <summary>Waits until every informer handed out so far has synced.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.WhenAll(_informers.Values.Select(i => i.WaitForSyncAsync(cancellationToken)));
        }
    }

    /// <summary>Stops every informer and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running);
        _linked?.Dispose();
        _stop.Dispose();
    }

    // Under _lock, after Start.
    private void Run(ISharedInformer informer)
    {
        var token = _started!.Value;
        _running.Add(Task.Run(() => informer.RunAsync(token), CancellationToken.None));
    }

    private readonly record struct Key(Type Type, string GroupVersion, string Plural, string? Namespace, string? LabelSelector, string? FieldSelector);
}
