namespace Korral.Client.Informers;

/// <summary>
/// Receives an informer's notifications, in order, one at a time per handler (handlers run concurrently with each
/// other). Handlers should be quick (compute a key, enqueue it): a slow handler delays only its own notifications,
/// which queue up in memory. Exceptions are logged and the next notification follows.
/// </summary>
public interface IResourceEventHandler<in T>
{
    /// <summary>A new object; <paramref name="isInInitialList"/> for objects of the first list (or of the cache when the
    /// handler was added to a running informer).</summary>
    void OnAdd(T obj, bool isInInitialList);

    /// <summary>
    /// A changed object. Also sent with <paramref name="oldObj"/> == <paramref name="newObj"/> (same resourceVersion) on
    /// every resync period, so that handlers can re-check every object.
    /// </summary>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>
    /// A deleted object: its final state from the watch, or (<paramref name="finalStateUnknown"/> = true) the last state
    /// the cache knew when the object vanished between two lists, as upstream's DeletedFinalStateUnknown tombstones.
    /// </summary>
    void OnDelete(T obj, bool finalStateUnknown);
}
