using System.Collections.Concurrent;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>
/// An API server whose generated-name suffixes come from a script the test fills, so a test can make the server draw a
/// name that is already taken. With the script empty the suffixes are random, as in production.
/// </summary>
public sealed class ScriptedNamesFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _suffixes = new();
    private TestServer? _server;

    public string DataDir { get; } = TempDirs.Create();

    public ApiClient Api => (_server ?? throw new InvalidOperationException("the server has not started")).Api;

    /// <summary>The suffixes not drawn yet.</summary>
    public int Remaining => _suffixes.Count;

    /// <summary>Replaces the script: the next generated names end in <paramref name="suffixes"/>, in order.</summary>
    public void Script(params string[] suffixes)
    {
        _suffixes.Clear();
        foreach (var suffix in suffixes)
        {
            _suffixes.Enqueue(suffix);
        }
    }

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(DataDir, parts => parts with { GenerateNameSuffix = NextSuffix });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        TempDirs.Delete(DataDir);
    }

    /// <summary>Creates a namespace of its own for one test and returns its name.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = $"gn-{Guid.NewGuid():N}"[..16];
        ApiAssert.Code(201, await Api.PostAsync("/api/v1/namespaces", Objects.Namespace(name)));
        return name;
    }

    private string NextSuffix() => _suffixes.TryDequeue(out var suffix) ? suffix : GeneratedNames.RandomSuffix();
}
