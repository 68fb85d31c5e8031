using System.Net;
using Korral.Kubelet.Logs;
using Korral.Kubelet.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Korral.Kubelet.Server;

/// <summary>
/// The kubelet's HTTPS API (port 10250), which the API server calls for logs, exec, attach and port-forward.
/// Every request is authenticated by a client certificate issued by the cluster CA and authorized before it is routed:
/// no certificate or an untrusted one gets 401 "Unauthorized", a caller other than the API server's kubelet client or
/// a system:masters member gets 403. Routes are in <see cref="KubeletRoutes"/>.
/// </summary>
public sealed class KubeletServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KubeletServer(WebApplication app, int port, Uri url)
    {
        _app = app;
        Port = port;
        Url = url;
    }

    /// <summary>The port listened on (the one picked when the options asked for 0).</summary>
    public int Port { get; }

    /// <summary>https://address:port, with 127.0.0.1 when bound to every address.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening, with logs only (no exec, attach or port-forward); returns once requests are served.</summary>
    public static Task<KubeletServer> StartAsync(KubeletServerOptions options, IContainerLogSource logs, CancellationToken cancellationToken) =>
        StartAsync(options, logs, null, cancellationToken);

    /// <summary>
    /// Starts listening; returns once requests are served. With <paramref name="streaming"/> the server also serves
    /// exec, attach and port-forward through the runtime's streaming server.
    /// </summary>
    public static async Task<KubeletServer> StartAsync(KubeletServerOptions options, IContainerLogSource logs, StreamingSource? streaming,
        CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid kubelet server options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        var authenticator = new KubeletAuthenticator(options.ClientCertificateAuthority, options.Time);
        var routes = KubeletRoutes.Create(
            new ContainerLogsEndpoint(logs, new ContainerLogReader(options.Follow), options.Time, options.Log),
            streaming is null ? null : new StreamingEndpoints(streaming, options.Log));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        builder.Logging.AddFilter(_ => false);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = options.ServingCertificate,
                    ServerCertificateChain = [options.ClientCertificateAuthority],
                    // Like Go's RequestClientCert: ask for a certificate, judge it per request (401, not a failed handshake).
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });
        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        app.Run(async context =>
        {
            // Followed logs end when the server stops rather than holding shutdown up.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            context.RequestAborted = linked.Token;
            await DispatchAsync(context, authenticator, routes, options.Log);
        });
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("the kubelet server reports no address");
        var port = new Uri(bound).Port;
        var host = options.BindAddress.Equals(IPAddress.Any) || options.BindAddress.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : options.BindAddress.ToString();
        return new KubeletServer(app, port, new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port}"));
    }

    private static async Task DispatchAsync(HttpContext context, KubeletAuthenticator authenticator, IReadOnlyList<KubeletRoute> routes, Action<string> log)
    {
        try
        {
            var user = authenticator.Authenticate(context.Connection.ClientCertificate);
            if (user is null)
            {
                await KubeletText.WriteAsync(context, 401, "Unauthorized");
                return;
            }

            var path = context.Request.Path.Value ?? "/";
            var method = context.Request.Method;
            KubeletRoute? pathMatch = null;
            KubeletRoute? route = null;
            IReadOnlyDictionary<string, string>? values = null;
            foreach (var candidate in routes)
            {
                if (candidate.Match(path) is { } matched)
                {
                    pathMatch ??= candidate;
                    if (candidate.Methods.Contains(method))
                    {
                        route = candidate;
                        values = matched;
                        break;
                    }
                }
            }

            // Authorization comes before routing, as in upstream's filter chain: a stranger learns nothing about paths.
            if (!KubeletAuthorizer.Allows(user))
            {
                await KubeletText.WriteAsync(context, 403, KubeletAuthorizer.Forbidden(user, method, (route ?? pathMatch)?.Subresource ?? "proxy"));
                return;
            }

            if (route is null)
            {
                await (pathMatch is null
                    ? KubeletText.WriteAsync(context, 404, "404: Page Not Found")
                    : KubeletText.WriteAsync(context, 405, "405: Method Not Allowed"));
                return;
            }

            await route.Handler(new KubeletRequest(context, values!, user));
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The caller went away or the server is stopping.
        }
        catch (Exception e)
        {
            log($"error serving {context.Request.Method} {context.Request.Path}: {e}");
            if (!context.Response.HasStarted)
            {
                await KubeletText.WriteAsync(context, 500, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
