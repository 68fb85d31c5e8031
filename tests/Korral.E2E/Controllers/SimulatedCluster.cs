using Korral.E2E.Infrastructure;

namespace Korral.E2E.Controllers;

/// <summary>A `korral server --simulated-nodes 2` (controller manager and scheduler on) per test class.</summary>
public sealed class SimulatedCluster : IAsyncLifetime
{
    public KorralServer Server { get; } = new(["--simulated-nodes", "2"]);

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
