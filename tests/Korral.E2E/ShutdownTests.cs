using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>
/// SIGTERM stops `korral server` in order: the scheduler and the controller manager hand their Leases back through the
/// API server before it stops serving, so a successor acquires at once instead of waiting for the lease to expire.
/// </summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly KorralServer _server = new([]);
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
    public async Task Sigterm_releases_the_scheduler_and_controller_manager_leases()
    {
        foreach (var lease in (string[])["kube-scheduler", "kube-controller-manager"])
        {
            await Nodes.Eventually.WaitAsync(
                async _ => (await Kubectl.RunAsync("get", "lease", lease, "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}")).Stdout,
                holder => holder.Length > 0, $"lease {lease} held", TimeSpan.FromSeconds(30));
        }

        Assert.Equal(0, await _server.StopAsync());
        var log = _server.Log;
        Assert.DoesNotContain("releasing the lease failed", log, StringComparison.Ordinal);
        Assert.Equal(2, log.Split('\n').Count(l => l.Contains("released the lease", StringComparison.Ordinal)));
    }
}
