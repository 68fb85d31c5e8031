using System.Text.Json.Nodes;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>
/// One API server per test class (<c>IClassFixture&lt;ApiServerFixture&gt;</c>) in a temporary data directory that is
/// removed afterwards. Tests share the server and keep apart by working in namespaces of their own.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    public string DataDir { get; } = TempDirs.Create();

    public TestServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public ApiClient Api => Server.Api;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(DataDir);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        TempDirs.Delete(DataDir);
    }

    /// <summary>Creates a namespace with a name no other test uses and returns the name.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        var created = await Api.PostAsync("/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        ApiAssert.Code(201, created);
        return name;
    }
}
