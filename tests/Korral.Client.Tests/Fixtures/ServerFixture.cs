namespace Korral.Client.Tests.Fixtures;

/// <summary>One server shared by the tests of a class; each test works in namespaces of its own.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private KorralServer? _server;

    public KorralServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync() => _server = await KorralServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
