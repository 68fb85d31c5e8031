namespace Korral.Controllers.Manager;

/// <summary>
/// One controller of the controller manager: it registers its informers and event handlers when built (before the
/// shared informers start), then <see cref="RunAsync"/> runs its workers until the manager stops leading.
/// </summary>
public interface IController
{
    /// <summary>The name upstream uses for it (e.g. "replicaset", "deployment", "garbage-collector").</summary>
    string Name { get; }

    /// <summary>Runs the workers; returns when <paramref name="cancellationToken"/> is cancelled and the workers have stopped.</summary>
    Task RunAsync(int workers, CancellationToken cancellationToken);
}
