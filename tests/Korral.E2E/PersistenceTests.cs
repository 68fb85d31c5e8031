using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>
/// State lives in the data dir: it survives a clean restart, and every write kubectl saw acknowledged survives kill -9.
/// Each test owns its server (it stops and restarts it), so these do not use the shared class fixture.
/// </summary>
public sealed class PersistenceTests : IAsyncLifetime
{
    private readonly KorralServer _server = new();
    private Kubectl? _kubectl;

    private Kubectl Kubectl => _kubectl ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _kubectl = new Kubectl(_server, KubectlVersions.Newest);
    }

    public async Task DisposeAsync()
    {
        _kubectl?.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Objects_survive_a_restart_after_sigterm()
    {
        (await Kubectl.RunAsync("create", "namespace", "keep")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "configmap", "kept", "--from-literal=k=v", "-n", "keep")).EnsureSuccess();
        var uid = (await Kubectl.RunAsync("get", "configmap", "kept", "-n", "keep", "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        var exitCode = await _server.StopAsync();
        var shutdownLog = _server.Log;
        await _server.StartAsync();

        var after = (await Kubectl.RunAsync("get", "configmap", "kept", "-n", "keep", "-o", "jsonpath={.metadata.uid} {.data.k}")).EnsureSuccess();
        Assert.Equal($"{uid} v", after.Stdout);
        Assert.Equal(["namespace/keep"], (await Kubectl.RunAsync("get", "namespace", "keep", "-o", "name")).EnsureSuccess().Lines);

        // Checked last so that a crash while shutting down does not hide whether the data survived.
        Assert.True(exitCode == 0, $"SIGTERM should stop korral with exit code 0, got {exitCode}. Log:\n{shutdownLog}");
    }

    [Fact]
    public async Task Every_acknowledged_create_survives_kill_9()
    {
        const int count = 40;
        var manifest = string.Join("---\n", Enumerable.Range(0, count).Select(i =>
            $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: acked-{i:D3}\ndata:\n  i: \"{i}\"\n"));
        var file = Kubectl.WriteFile("many.yaml", manifest);

        // kubectl prints "created" only after the server answered 201; kill the server the moment the last one is printed.
        await using (var create = Kubectl.Stream("create", "-f", file))
        {
            await create.WaitForLineAsync(l => l == $"configmap/acked-{count - 1:D3} created", $"configmap/acked-{count - 1:D3} created");
            _server.KillHard();
            Assert.Equal(count, create.Seen.Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        }

        await _server.StartAsync();

        var names = (await Kubectl.RunAsync("get", "configmaps", "-o", "name")).EnsureSuccess().Lines;
        var expected = Enumerable.Range(0, count).Select(i => $"configmap/acked-{i:D3}");
        Assert.Equal(expected, names.Where(n => n.StartsWith("configmap/acked-", StringComparison.Ordinal)));
    }
}
