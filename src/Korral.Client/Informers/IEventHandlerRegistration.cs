namespace Korral.Client.Informers;

/// <summary>A handler added to an informer. Dispose to remove it.</summary>
public interface IEventHandlerRegistration : IDisposable
{
    /// <summary>
    /// The informer has synced and this handler has been given every object of that first list (upstream's
    /// registration HasSynced): a controller may start its workers.
    /// </summary>
    bool HasSynced { get; }

    /// <summary>Completes when <see cref="HasSynced"/> becomes true.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
