using Korral.E2E.Infrastructure;

namespace Korral.E2E.ControllerScenarios;

/// <summary>A `korral server --simulated-nodes 3` (controller manager and scheduler on) per test class.</summary>
public sealed class ControllerScenarioCluster : IAsyncLifetime
{
    public KorralServer Server { get; } = new(["--simulated-nodes", "3"]);

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
