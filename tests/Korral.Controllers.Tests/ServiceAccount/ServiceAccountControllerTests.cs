using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.ServiceAccount;
using Korral.Controllers.Tests.GarbageCollector;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;
using CoreServiceAccount = Korral.Api.Models.CoreV1.ServiceAccount;

namespace Korral.Controllers.Tests.ServiceAccount;

/// <summary>The service account controller against a real API server.</summary>
public sealed class ServiceAccountControllerTests : IAsyncLifetime
{
    private ControllerCluster _cluster = null!;
    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await ControllerCluster.StartAsync(c => [(new ServiceAccountController(c), 1)]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_namespace_gets_a_default_service_account_back_when_deleted()
    {
        var ns = "sa-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        await _cluster.WaitAsync<CoreServiceAccount>("default in the new namespace", a => a.Get(ns, "default") is not null);
        var first = await Client.Resource<CoreServiceAccount>().GetAsync(ns, "default", CancellationToken.None);

        await Client.Resource<CoreServiceAccount>().DeleteAsync(ns, "default", CancellationToken.None);
        await _cluster.WaitAsync<CoreServiceAccount>("default created again",
            a => a.Get(ns, "default") is { } again && again.Metadata!.Uid != first.Metadata!.Uid);
    }

    [Fact]
    public async Task Namespaces_that_existed_before_the_controller_get_one_too()
    {
        // "default" and the system namespaces exist from the server's start.
        await _cluster.WaitAsync<CoreServiceAccount>("default/default", a => a.Get("default", "default") is not null);
    }
}
