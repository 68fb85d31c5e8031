using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Korral.Api.Resources;
using Korral.ApiServer.Allocation;
using Korral.ApiServer.Discovery;
using Korral.ApiServer.Http;
using Korral.ApiServer.Kubelets;
using Korral.ApiServer.NodeJoin;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Security;
using Korral.ApiServer.Serialization;
using Korral.ApiServer.Strategies;
using Korral.ApiServer.WatchCache;
using Korral.Storage.Contract;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Korral.ApiServer.Hosting;

/// <summary>
/// A running API server: certificates, watch caches over the store, the HTTPS listener (HTTP/1.1 and HTTP/2 on one
/// port) and the objects every cluster starts with. <see cref="StartAsync"/> returns once it serves requests.
/// </summary>
public sealed class ApiServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WatchCacheSet _caches;
    private readonly KubeletClient _kubelets;

    private ApiServerHost(WebApplication app, WatchCacheSet caches, KubeletClient kubelets, ClusterCertificates certificates, ResourceStore store, Uri url,
        NodeJoinToken nodeToken)
    {
        _app = app;
        _caches = caches;
        _kubelets = kubelets;
        Certificates = certificates;
        Store = store;
        Url = url;
        NodeToken = nodeToken;
    }

    public ClusterCertificates Certificates { get; }

    /// <summary>The node join token (also in &lt;data dir&gt;/token) agents join with.</summary>
    public NodeJoinToken NodeToken { get; }

    public ResourceStore Store { get; }

    /// <summary>The URL clients on this machine use (https://127.0.0.1:port unless bound elsewhere).</summary>
    public Uri Url { get; }

    public static async Task<ApiServerHost> StartAsync(ApiServerOptions options, IKeyValueStore store, ApiServerParts parts, Action<string> log,
        CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid API server options:\n  " + string.Join("\n  ", errors));
        }

        var clock = Stopwatch.StartNew();
        var time = parts.Time;
        var now = time.GetUtcNow();
        var tlsDir = Path.Combine(options.DataDir, "tls");
        var (certificates, created) = ClusterCertificates.LoadOrCreate(tlsDir, now);
        log(created ? $"generated cluster CA in {tlsDir}" : $"loaded cluster CA from {tlsDir}");

        // The CA as stored: /cacerts serves these bytes and the join token carries their hash.
        var caPem = File.ReadAllBytes(Path.Combine(tlsDir, "ca.crt"));
        var (nodeToken, tokenWritten) = NodeJoinToken.LoadOrCreate(options.DataDir, caPem, options.Token);
        if (tokenWritten)
        {
            log($"wrote the node join token to {Path.Combine(options.DataDir, NodeJoinToken.FileName)}");
        }

        var serviceIps = new IpAllocator(options.ServiceClusterIpRange);
        var (firstPort, lastPort) = ApiServerOptions.ParsePortRange(options.ServiceNodePortRange)!.Value;
        var nodePorts = new PortAllocator(firstPort, lastPort);
        var serving = certificates.IssueServing("kube-apiserver", ServingNames(options), ServingAddresses(options, serviceIps), now);

        var catalog = parts.Catalog;
        var selectors = new Adapters.SelectorCompiler();
        var caches = new WatchCacheSet(store, catalog, selectors, log);
        await caches.StartAsync(cancellationToken);
        log($"watch caches loaded at revision {caches.Revision} ({clock.ElapsedMilliseconds} ms)");

        var strategies = new StrategyProvider(catalog, serviceIps, nodePorts, PriorityClassLookup(caches, catalog), DefaultStorageClassLookup(caches, catalog));
        RestoreAllocations(caches, catalog, strategies);
        var resourceStore = new ResourceStore(store, caches, strategies, parts.Rules, catalog, parts.FieldManager, time, parts.GenerateNameSuffix);

        var ready = false;
        // The identity kubelets see; issued afresh at each start (nothing else uses it, so it is not kept on disk).
        var kubeletClientCertificate = certificates.IssueClient(KubeletClientOptions.ClientUser, [KubeletClientOptions.ClientGroup], now);
        var kubelets = new KubeletClient(kubeletClientCertificate, certificates.Authority, parts.Kubelets);
        var handler = new ResourceHandler(resourceStore, new BodyReader(parts.ProtobufDecoder), parts.Tables, selectors, parts.Patcher, time, parts.Watch,
            kubelets);
        var advertise = options.AdvertiseAddress ?? DefaultAdvertiseAddress(options.BindAddress);
        var discovery = new DiscoveryDocuments(catalog, new DiscoveryOptions { ServerAddress = $"{advertise}:{options.Port}" });
        var pipeline = new RequestPipeline(new Authenticator(certificates, parts.Tokens), catalog, discovery, parts.OpenApiV3, handler, () => ready, log,
            new NodeJoinEndpoint(certificates, caPem, nodeToken, time, log));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.Logging.AddFilter(_ => false);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = BodyReader.MaxRequestBytes + 1;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serving,
                    ServerCertificateChain = [certificates.Authority],
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // Client certificates are checked against the cluster CA per request; an unknown one is anonymous.
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });
        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        app.Run(async context =>
        {
            // Long-running requests (watches) end when the server stops, rather than holding shutdown up.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            context.RequestAborted = linked.Token;
            await pipeline.HandleAsync(context);
        });
        await app.StartAsync(cancellationToken);
        var host = options.BindAddress.Equals(IPAddress.Any) || options.BindAddress.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : options.BindAddress.ToString();
        var url = new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{options.Port}");
        log($"serving on {url} ({clock.ElapsedMilliseconds} ms)");

        await Bootstrap.EnsureAsync(resourceStore, catalog, serviceIps, advertise, options.Port, time, cancellationToken);
        ready = true;
        log($"ready ({clock.ElapsedMilliseconds} ms)");
        return new ApiServerHost(app, caches, kubelets, certificates, resourceStore, url, nodeToken);
    }

    /// <summary>Finds a PriorityClass's value and preemption policy in the watch cache (for the priority admission step).</summary>
    private static Func<string, (long Value, string? PreemptionPolicy)?> PriorityClassLookup(WatchCacheSet caches, IResourceCatalog catalog)
    {
        var classes = catalog.Find("scheduling.k8s.io", "v1", "priorityclasses");
        return name =>
        {
            if (classes is null || caches.For(classes)?.Get(classes.StoragePrefix + name) is not { } cached ||
                System.Text.Json.Nodes.JsonNode.Parse(cached.Json.Span) is not System.Text.Json.Nodes.JsonObject obj)
            {
                return null;
            }

            return (obj["value"]?.GetValue<long>() ?? 0, (string?)obj["preemptionPolicy"]);
        };
    }

    /// <summary>The name of the default StorageClass in the watch cache (for the DefaultStorageClass admission step).</summary>
    private static Func<string?> DefaultStorageClassLookup(WatchCacheSet caches, IResourceCatalog catalog)
    {
        var classes = catalog.Find("storage.k8s.io", "v1", "storageclasses");
        return () =>
        {
            if (classes is null || caches.For(classes) is not { } cache)
            {
                return null;
            }

            return Korral.Api.Defaulting.ClaimAdmission.DefaultClassName(cache.List(WatchFilter.Everything).Items
                .Select(c => System.Text.Json.Nodes.JsonNode.Parse(c.Json.Span))
                .OfType<System.Text.Json.Nodes.JsonObject>());
        };
    }

    private static void RestoreAllocations(WatchCacheSet caches, IResourceCatalog catalog, StrategyProvider strategies)
    {
        var services = catalog.Find("", "v1", "services");
        if (services is null || strategies.Services is null || caches.For(services) is not { } cache)
        {
            return;
        }

        foreach (var svc in cache.List(WatchFilter.Everything).Items)
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(svc.Json.Span) is System.Text.Json.Nodes.JsonObject obj)
            {
                strategies.Services.Restore(obj);
            }
        }
    }

    private static IEnumerable<string> ServingNames(ApiServerOptions options)
    {
        yield return "localhost";
        yield return "kubernetes";
        yield return "kubernetes.default";
        yield return "kubernetes.default.svc";
        yield return "kubernetes.default.svc.cluster.local";
        yield return Dns.GetHostName();
        foreach (var san in options.TlsSans.Where(s => !IPAddress.TryParse(s, out _)))
        {
            yield return san;
        }
    }

    private static IEnumerable<IPAddress> ServingAddresses(ApiServerOptions options, IpAllocator serviceIps)
    {
        yield return IPAddress.Loopback;
        yield return IPAddress.IPv6Loopback;
        yield return IPAddress.Parse(serviceIps.AddressAt(1));
        if (!options.BindAddress.Equals(IPAddress.Any) && !options.BindAddress.Equals(IPAddress.IPv6Any))
        {
            yield return options.BindAddress;
        }

        if (options.AdvertiseAddress is { } advertise)
        {
            yield return advertise;
        }

        foreach (var address in LocalAddresses())
        {
            yield return address;
        }

        foreach (var san in options.TlsSans)
        {
            if (IPAddress.TryParse(san, out var ip))
            {
                yield return ip;
            }
        }
    }

    private static IEnumerable<IPAddress> LocalAddresses()
    {
        foreach (var nic in Korral.Api.Networking.NetworkInterfaces.ReadAll())
        {
            if (nic.OperationalStatus != OperationalStatus.Up)
            {
                continue;
            }

            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                if (a.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    yield return a.Address;
                }
            }
        }
    }

    private static IPAddress DefaultAdvertiseAddress(IPAddress bind)
    {
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any) && !IPAddress.IsLoopback(bind))
        {
            return bind;
        }

        // Endpoints may not hold loopback addresses: advertise the machine's first real address.
        return LocalAddresses().FirstOrDefault(a => !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
    }

    /// <summary>Issues a client certificate from the cluster CA (for kubeconfigs).</summary>
    public X509Certificate2 IssueClientCertificate(string user, IEnumerable<string> groups) =>
        Certificates.IssueClient(user, groups, DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _caches.DisposeAsync();
        _kubelets.Dispose();
    }
}
