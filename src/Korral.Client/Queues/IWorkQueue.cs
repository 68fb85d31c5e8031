namespace Korral.Client.Queues;

/// <summary>
/// A work queue with client-go's contract (workqueue.Interface):
/// <list type="bullet">
/// <item>an item is never processed by two workers at once: between <see cref="GetAsync"/> and <see cref="Done"/> it is
/// "processing", and adding it again only marks it dirty;</item>
/// <item>duplicates collapse: an item added several times before a worker takes it is handed out once;</item>
/// <item>re-adds during processing are kept: <see cref="Done"/> puts the item back at the end of the queue;</item>
/// <item>items come out in the order they were first added (FIFO);</item>
/// <item>after <see cref="ShutDown"/>, adds are ignored, workers still get the items already queued (the queue drains),
/// and then <see cref="GetAsync"/> answers ShutDown = true.</item>
/// </list>
/// Items are keys ("namespace/name"), not objects: the worker reads the current object from a lister.
/// </summary>
public interface IWorkQueue<T>
    where T : notnull
{
    /// <summary>Queues <paramref name="item"/> unless it is already waiting (or the queue is shutting down).</summary>
    void Add(T item);

    /// <summary>
    /// Waits for the next item and marks it processing; the caller must call <see cref="Done"/> with it. Returns
    /// ShutDown = true (and no item) once the queue is shut down and empty.
    /// </summary>
    ValueTask<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken);

    /// <summary>Ends the processing of <paramref name="item"/>; if it was added meanwhile, it is queued again.</summary>
    void Done(T item);

    /// <summary>Items waiting (not counting those being processed).</summary>
    int Count { get; }

    bool ShuttingDown { get; }

    /// <summary>Stops accepting items; waiting workers wake up once the queue is empty.</summary>
    void ShutDown();

    /// <summary>Shuts down and waits until every queued and processing item is done.</summary>
    Task ShutDownWithDrainAsync(CancellationToken cancellationToken);
}
