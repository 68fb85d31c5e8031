using System.Collections.Concurrent;
using Korral.Kubelet.Containerd;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Korral.Kubelet.Tests.Containerd;

/// <summary>The hosts.toml files as containerd 1.6 reads them: a pull asks the mirror before the registry itself.</summary>
[Collection(ContainerdCollection.Name)]
public class RegistryHostsIntegrationTests(ContainerdFixture containerd)
{
    [Fact]
    public async Task PullAsksTheMirrorFirstThenTheRegistry()
    {
        var requests = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var mirror = builder.Build();
        mirror.Run(context =>
        {
            requests.Enqueue($"{context.Request.Method} {context.Request.Path} ns={context.Request.Query["ns"]}");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await mirror.StartAsync();
        var endpoint = mirror.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        // A made-up registry whose server is a closed local port: nothing leaves the machine.
        RegistryHosts.Write(containerd.Options.RegistryConfigPath, endpoint,
            new Dictionary<string, string> { ["kktest.registry:5000"] = "http://127.0.0.1:1" });

        var error = await Assert.ThrowsAsync<CriException>(() => containerd.Client.PullImageAsync(
            new PullImageRequest { Image = new ImageSpec { Image = "kktest.registry:5000/library/absent:1.0" } }, CancellationToken.None));

        Assert.Contains("HEAD /v2/library/absent/manifests/1.0 ns=kktest.registry:5000", requests);
        Assert.Contains("127.0.0.1:1", error.StatusMessage, StringComparison.Ordinal);
        await mirror.StopAsync();
    }
}
