using System.Net;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tests.Fixtures;
using static Korral.Ingress.Tests.Fixtures.TestObjects;

namespace Korral.Ingress.Tests.Nginx;

/// <summary>
/// A real nginx, configured by the translation and the writer, proxying to Kestrel backends on loopback: routing by Host
/// and path, 404 and 503 answers, headers sent upstream, TLS by SNI, and a reload that keeps a request in flight.
/// </summary>
public sealed class NginxTrafficTests
{
    [Fact]
    public async Task RoutesByHostHeaderAndAnswers404ForUnknownHosts()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var api = await EchoBackend.StartAsync("api");
        await using var nginx = new NginxHarness("hosts");
        nginx.Objects.Ingresses.Add(NewIngress("sites",
            ("mywebapp.example.com", "/", "Prefix", "webapp-service", 80),
            ("api.example.com", "/", "Prefix", "api", 8080)));
        nginx.Objects.Services.AddRange([Service("webapp-service", 80, web.Port), Service("api", 8080, api.Port)]);
        nginx.Objects.EndpointSlices.AddRange([Slice("webapp-service", web.Port), Slice("api", api.Port)]);

        Assert.Equal(NginxApplyOutcome.Started, (await nginx.ApplyAsync()).Outcome);

        var webHost = $"mywebapp.example.com:{nginx.HttpPort}";
        Assert.Equal((HttpStatusCode.OK, web.Expected(webHost, "/index.html")), await nginx.Client.FetchAsync("mywebapp.example.com", "/index.html"));
        Assert.Equal((HttpStatusCode.OK, api.Expected($"api.example.com:{nginx.HttpPort}", "/v1/items?x=1")),
            await nginx.Client.FetchAsync("api.example.com", "/v1/items?x=1"));
        var (status, body) = await nginx.Client.FetchAsync("unknown.example.com", "/");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("404 Not Found", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsIngressNginxForwardingHeaders()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = new NginxHarness("headers");
        nginx.Objects.Ingresses.Add(NewIngress("web", ("web.example.com", "/", "Prefix", "web", 80)));
        nginx.Objects.Services.Add(Service("web", 80, web.Port));
        nginx.Objects.EndpointSlices.Add(Slice("web", web.Port));
        await nginx.ApplyAsync();

        using var response = await nginx.Client.GetAsync("web.example.com", "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", Header(response, "X-Seen-Forwarded-For"));
        Assert.Equal("http", Header(response, "X-Seen-Forwarded-Proto"));
        Assert.Equal($"web.example.com:{nginx.HttpPort}", Header(response, "X-Seen-Forwarded-Host"));
        Assert.Matches("^[0-9a-f]{32}$", Header(response, "X-Seen-Request-Id"));
    }

    [Fact]
    public async Task MissingServiceAndMissingEndpointsAnswer503()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = new NginxHarness("unavailable");
        nginx.Objects.Ingresses.Add(NewIngress("partial",
            ("shop.example.com", "/", "Prefix", "web", 80),
            ("shop.example.com", "/api", "Prefix", "does-not-exist", 80),
            ("shop.example.com", "/cart", "Prefix", "no-pods", 80)));
        nginx.Objects.Services.AddRange([Service("web", 80, web.Port), Service("no-pods", 80, 80)]);
        nginx.Objects.EndpointSlices.Add(Slice("web", web.Port));
        await nginx.ApplyAsync();

        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("shop.example.com", "/")).Status);
        var (status, body) = await nginx.Client.FetchAsync("shop.example.com", "/api/items");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("503 Service Temporarily Unavailable", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await nginx.Client.FetchAsync("shop.example.com", "/cart")).Status);
    }

    [Fact]
    public async Task PathTypesMatchAsTheSpecSays()
    {
        await using var prefix = await EchoBackend.StartAsync("prefix");
        await using var exact = await EchoBackend.StartAsync("exact");
        await using var specific = await EchoBackend.StartAsync("specific");
        await using var root = await EchoBackend.StartAsync("root");
        await using var nginx = new NginxHarness("paths");
        nginx.Objects.Ingresses.Add(NewIngress("paths",
            ("p.example.com", "/app", "Prefix", "prefix", 80),
            ("p.example.com", "/app/login", "Exact", "exact", 80),
            ("p.example.com", "/static", "ImplementationSpecific", "specific", 80),
            ("p.example.com", "/", "Prefix", "root", 80)));
        foreach (var backend in new[] { prefix, exact, specific, root })
        {
            nginx.Objects.Services.Add(Service(backend.Name, 80, backend.Port));
            nginx.Objects.EndpointSlices.Add(Slice(backend.Name, backend.Port));
        }

        await nginx.ApplyAsync();

        var cases = new (string Path, string Backend)[]
        {
            ("/app", "prefix"), ("/app/", "prefix"), ("/app/x/y", "prefix"), ("/application", "root"), ("/ap", "root"),
            ("/app/login", "exact"), ("/app/login/", "prefix"), ("/app/login/more", "prefix"),
            ("/static", "specific"), ("/staticfiles/a.css", "specific"), ("/stati", "root"),
            ("/", "root"), ("/APP", "root"),
        };
        foreach (var (path, backend) in cases)
        {
            var (status, body) = await nginx.Client.FetchAsync("p.example.com", path);
            Assert.True(status == HttpStatusCode.OK && body.StartsWith($"backend={backend} ", StringComparison.Ordinal),
                $"{path} should reach {backend}; got {(int)status} {body}");
        }
    }

    [Fact]
    public async Task WildcardHostMatchesExactlyOneLabel()
    {
        await using var apps = await EchoBackend.StartAsync("apps");
        await using var nginx = new NginxHarness("wildcard");
        nginx.Objects.Ingresses.Add(NewIngress("wild", ("*.apps.example.com", "/", "Prefix", "apps", 80)));
        nginx.Objects.Services.Add(Service("apps", 80, apps.Port));
        nginx.Objects.EndpointSlices.Add(Slice("apps", apps.Port));
        await nginx.ApplyAsync();

        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("one.apps.example.com", "/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("ONE.Apps.Example.com", "/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await nginx.Client.FetchAsync("a.b.apps.example.com", "/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await nginx.Client.FetchAsync("apps.example.com", "/")).Status);
    }

    [Fact]
    public async Task TlsServesTheSecretsCertificateBySniAndRedirectsPlainHttp()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = new NginxHarness("tls");
        var ingress = NewIngress("secure", ("secure.example.com", "/", "Prefix", "web", 80), ("plain.example.com", "/", "Prefix", "web", 80));
        ingress.Spec!.Tls = [new Api.Models.NetworkingV1.IngressTLS { Hosts = ["secure.example.com"], SecretName = "secure-tls" }];
        nginx.Objects.Ingresses.Add(ingress);
        nginx.Objects.Secrets.Add(TlsSecret("secure-tls", "secure.example.com"));
        nginx.Objects.Services.Add(Service("web", 80, web.Port));
        nginx.Objects.EndpointSlices.Add(Slice("web", web.Port));
        await nginx.ApplyAsync();

        using (var response = await nginx.Client.GetTlsAsync("secure.example.com", "/x"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("CN=secure.example.com", nginx.Client.LastCertificate!.Subject);
            Assert.Equal("https", Header(response, "X-Seen-Forwarded-Proto"));
        }

        using (var response = await nginx.Client.GetTlsAsync("plain.example.com", "/"))
        {
            // A host without TLS of its own still answers HTTPS, with the fake certificate (as ingress-nginx does).
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(FakeCertificateName, nginx.Client.LastCertificate!.Subject, StringComparison.Ordinal);
        }

        using (var response = await nginx.Client.GetAsync("secure.example.com", "/x?y=1"))
        {
            Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
            Assert.Equal($"https://secure.example.com:{nginx.HttpsPort}/x?y=1", response.Headers.Location?.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("plain.example.com", "/")).Status);
        var file = new FileInfo(nginx.Configuration!.Servers.Single(s => s.Host == "secure.example.com").Certificate.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, file.UnixFileMode);
    }

    [Fact]
    public async Task ReloadKeepsARequestInFlightAndPicksUpTheChange()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var other = await EchoBackend.StartAsync("other");
        await using var nginx = new NginxHarness("reload");
        nginx.Objects.Ingresses.Add(NewIngress("web", ("web.example.com", "/", "Prefix", "web", 80)));
        nginx.Objects.Services.AddRange([Service("web", 80, web.Port), Service("other", 80, other.Port)]);
        nginx.Objects.EndpointSlices.AddRange([Slice("web", web.Port), Slice("other", other.Port)]);
        await nginx.ApplyAsync();
        var pid = nginx.Supervisor.MasterPid;

        var inFlight = nginx.Client.FetchAsync("web.example.com", "/slow");
        await web.SlowArrived.WaitAsync(TimeSpan.FromSeconds(30));
        nginx.Objects.Ingresses.Add(NewIngress("other", ("other.example.com", "/", "Prefix", "other", 80)));
        Assert.Equal(NginxApplyOutcome.Reloaded, (await nginx.ApplyAsync()).Outcome);
        await Eventually.Until(() => nginx.Client.FetchAsync("other.example.com", "/"), r => r.Status == HttpStatusCode.OK, "the reloaded nginx to serve other.example.com");
        Assert.False(inFlight.IsCompleted, "the slow request finished before it was released");
        web.ReleaseSlow();

        Assert.Equal((HttpStatusCode.OK, web.Expected($"web.example.com:{nginx.HttpPort}", "/slow")), await inFlight.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(pid, nginx.Supervisor.MasterPid);
        Assert.Equal(1, nginx.Supervisor.Reloads);
    }

    private const string FakeCertificateName = "Kubernetes Ingress Controller Fake Certificate";

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
