using Microsoft.Extensions.Hosting;

namespace Korral.ApiServer.Hosting;

/// <summary>
/// The API server's web host stops when its owner disposes it, never on a signal of its own: the default console lifetime
/// would stop serving on SIGTERM while `korral server` still shuts its components down in order (controllers and the
/// scheduler release their Leases through the API server first, so that successors need not wait for them to expire).
/// </summary>
internal sealed class OwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
