using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// A pod stand-in on 127.0.0.1: Kestrel answering every request with one line naming itself and what it received
/// ("backend=NAME host=… path=… xff=… proto=…"). Requests to /slow wait until <see cref="ReleaseSlow"/>, so a test can
/// keep a request in flight across an nginx reload.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EchoBackend(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>Completes when a request to /slow has reached this backend.</summary>
    public Task SlowArrived => _slowArrived.Task;

    public static async Task<EchoBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var backend = new EchoBackend(name, app);
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    /// <summary>The line this backend answers a request with.</summary>
    public string Expected(string host, string path) => $"backend={Name} host={host} path={path}";

    public void ReleaseSlow() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseSlow();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/slow")
        {
            _slowArrived.TrySetResult();
            await _release.Task.WaitAsync(context.RequestAborted);
        }

        var line = $"backend={Name} host={request.Host} path={request.Path}{request.QueryString}";
        context.Response.Headers["X-Seen-Forwarded-For"] = request.Headers["X-Forwarded-For"].ToString();
        context.Response.Headers["X-Seen-Forwarded-Proto"] = request.Headers["X-Forwarded-Proto"].ToString();
        context.Response.Headers["X-Seen-Forwarded-Host"] = request.Headers["X-Forwarded-Host"].ToString();
        context.Response.Headers["X-Seen-Request-Id"] = request.Headers["X-Request-ID"].ToString();
        await context.Response.WriteAsync(line);
    }
}
