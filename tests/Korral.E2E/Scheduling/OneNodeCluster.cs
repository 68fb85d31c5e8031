using Korral.E2E.Infrastructure;

namespace Korral.E2E.Scheduling;

/// <summary>A `korral server --simulated-nodes 1` (controller manager and scheduler on) per test class.</summary>
public sealed class OneNodeCluster : IAsyncLifetime
{
    public KorralServer Server { get; } = new(["--simulated-nodes", "1"]);

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
