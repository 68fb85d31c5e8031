namespace Korral.Client.Queues;

/// <summary>A work queue that can add an item later (client-go DelayingInterface).</summary>
public interface IDelayingQueue<T> : IWorkQueue<T>
    where T : notnull
{
    /// <summary>
    /// Adds <paramref name="item"/> once <paramref name="delay"/> has passed (at once when zero or negative). An item
    /// already waiting keeps the earlier of its two times.
    /// </summary>
    void AddAfter(T item, TimeSpan delay);
}
