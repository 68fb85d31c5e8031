using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Korral.ApiServer.Tests.PodLog;

/// <summary>
/// A stand-in kubelet on 127.0.0.1: HTTPS with a given serving certificate, asking for client certificates, recording
/// each request (path and query, the client certificate's subject) and answering through a handler the test sets.
/// </summary>
public sealed class FakeKubelet : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubelet(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<(string PathAndQuery, string? ClientSubject)> Requests { get; } = new();

    /// <summary>Answers requests; by default 200 with "hello\n".</summary>
    public Func<HttpContext, Task> Handler { get; set; } = context => context.Response.WriteAsync("hello\n");

    public static async Task<FakeKubelet> StartAsync(X509Certificate2 serving)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddFilter(_ => false);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(
            new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serving,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (_, _, _) => true,
                CheckCertificateRevocation = false,
            })));
        var app = builder.Build();
        FakeKubelet? kubelet = null;
        app.Run(context =>
        {
            kubelet!.Requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Connection.ClientCertificate?.Subject));
            return kubelet.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        kubelet = new FakeKubelet(app, new Uri(address).Port);
        return kubelet;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
