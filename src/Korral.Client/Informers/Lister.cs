using Korral.Api.Selectors;

namespace Korral.Client.Informers;

/// <summary>Read access to an informer's cache, the way controllers read (upstream's generated listers).</summary>
public sealed class Lister<T>(Indexer<T> indexer)
    where T : class
{
    public Indexer<T> Indexer => indexer;

    /// <summary>The cached object, or null. Shared: do not change it (see <see cref="KubeObject.Clone{T}"/>).</summary>
    public T? Get(string? ns, string name) => indexer.Get(ns, name);

    /// <summary>By cache key ("namespace/name" or "name"), as work queues carry them.</summary>
    public T? Get(string key) => indexer.Get(key);

    /// <summary>Every cached object, optionally only those matching <paramref name="selector"/>.</summary>
    public List<T> List(LabelSelector? selector = null) => indexer.List(null, selector ?? LabelSelector.Everything);

    /// <summary>The cached objects of one namespace (through the namespace index), optionally filtered by labels.</summary>
    public List<T> List(string ns, LabelSelector? selector = null) => indexer.List(ns, selector ?? LabelSelector.Everything);
}
