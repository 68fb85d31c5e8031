using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// A read-only OCI registry (distribution API v2) serving a node's <see cref="ImageStore"/> on 127.0.0.1, so
/// containerd pulls docker.io and registry.k8s.io images from the node itself: its hosts.toml lists this endpoint
/// as the first host for those registries. Pods whose imagePullPolicy is Always (the default for :latest) then still
/// pull, with no internet.
/// Plain HTTP on purpose: the listener is bound to loopback only, so requests never leave the machine and never
/// cross a trust boundary; containerd checks every manifest and blob against its digest anyway.
/// </summary>
public sealed class RegistryMirror : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryMirror(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The bound endpoint, "http://127.0.0.1:PORT" (the port chosen when the options asked for 0).</summary>
    public Uri Endpoint { get; }

    public static async Task<RegistryMirror> StartAsync(ImageStore store, RegistryMirrorOptions options, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid registry mirror options:\n  " + string.Join("\n  ", errors));
        }

        var handler = new RegistryRequestHandler(store, options.Log);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.Logging.AddFilter(_ => false);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        app.Run(async context =>
        {
            // Blob downloads end when the node stops, rather than holding shutdown up.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            context.RequestAborted = linked.Token;
            await handler.HandleAsync(context);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("the registry mirror's listener reported no address");
        var port = new Uri(address).Port;
        return new RegistryMirror(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
