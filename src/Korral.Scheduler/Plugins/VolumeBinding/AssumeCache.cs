using System.Diagnostics.CodeAnalysis;
using Korral.Client;
using Korral.Client.Informers;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// An informer cache with in-memory overrides (upstream's AssumeCache): Reserve "assumes" a volume bound to a claim, or
/// a claim annotated for provisioning, before anything is written, so that the next pod in the same burst does not pick
/// the same volume. An assumed object is the latest version until the informer delivers a newer resourceVersion (the
/// API write, or anyone else's) or <see cref="Restore"/> drops it. Thread-safe: Filter reads it from many threads.
/// </summary>
internal sealed class AssumeCache<T>(Indexer<T> informer, string description)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _assumed = new(StringComparer.Ordinal);

    public Indexer<T> Informer => informer;

    /// <summary>The latest version: assumed, or the informer's.</summary>
    public T? Get(string key)
    {
        var fromInformer = informer.Get(key);
        lock (_lock)
        {
            return LatestLocked(key, fromInformer);
        }
    }

    /// <summary>The informer's version, never an assumed one (PreBind checks what the API says).</summary>
    public T? GetApi(string key) => informer.Get(key);

    /// <summary>The latest versions of objects listed from the informer.</summary>
    public List<T> Latest(List<T> fromInformer)
    {
        lock (_lock)
        {
            if (_assumed.Count == 0)
            {
                return fromInformer;
            }

            for (var i = 0; i < fromInformer.Count; i++)
            {
                fromInformer[i] = LatestLocked(KubeObject.Key(fromInformer[i]), fromInformer[i])!;
            }

            return fromInformer;
        }
    }

    /// <summary>
    /// Makes <paramref name="obj"/> the latest version. Refused when the object is unknown or the stored version is newer
    /// (someone changed it since it was read), as upstream.
    /// </summary>
    public bool TryAssume(T obj, [NotNullWhen(false)] out string? error)
    {
        var key = KubeObject.Key(obj);
        var fromInformer = informer.Get(key);
        lock (_lock)
        {
            var stored = LatestLocked(key, fromInformer);
            if (stored is null)
            {
                error = $"could not find {description} \"{key}\"";
                return false;
            }

            var (newVersion, storedVersion) = (Version(obj), Version(stored));
            if (newVersion < storedVersion)
            {
                error = $"{description} \"{key}\" is out of sync (stored: {storedVersion}, assume: {newVersion})";
                return false;
            }

            _assumed[key] = obj;
            error = null;
            return true;
        }
    }

    /// <summary>Forgets the assumed version of <paramref name="key"/> (Unreserve, failed writes).</summary>
    public void Restore(string key)
    {
        lock (_lock)
        {
            _assumed.Remove(key);
        }
    }

    // An informer version newer than the assumed one replaces it for good (upstream's add on informer events); an
    // object the informer no longer has is gone.
    private T? LatestLocked(string key, T? fromInformer)
    {
        if (!_assumed.TryGetValue(key, out var assumed))
        {
            return fromInformer;
        }

        if (fromInformer is null || Version(fromInformer) > Version(assumed))
        {
            _assumed.Remove(key);
            return fromInformer;
        }

        return assumed;
    }

    private static long Version(T obj) => VolumeRules.Version(obj);
}
