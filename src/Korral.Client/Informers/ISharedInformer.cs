using Korral.Api.Resources;

namespace Korral.Client.Informers;

/// <summary>What a <see cref="SharedInformerFactory"/> needs of an informer, whatever its object type.</summary>
public interface ISharedInformer
{
    ResourceInfo Resource { get; }

    /// <summary>The first list is in the cache.</summary>
    bool HasSynced { get; }

    /// <summary>The resourceVersion the cache is up to date with (of the last list, event or bookmark).</summary>
    string? LastSyncResourceVersion { get; }

    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>Lists and watches until the token is cancelled. Runs once per informer.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
