using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Probes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>httpGet probes against a server by hand: what goes on the wire and upstream's results and messages.</summary>
public sealed class HttpGetProbeTests : IDisposable
{
    private static readonly Container App = new() { Name = "app" };
    private readonly HttpClient _http = Prober.CreateHttpClient();

    public void Dispose() => _http.Dispose();

    private Task<ProbeOutcome> ProbeAsync(HTTPGetAction get, Container? container = null, string? podIp = "127.0.0.1") =>
        new Prober(ExecRuntime.Create(out _), _http).RunAsync(new Probe { HttpGet = get, TimeoutSeconds = 1 }, container ?? App, "c1", podIp, CancellationToken.None);

    private static HTTPGetAction Get(int port, string? path = null, params HTTPHeader[] headers) =>
        new() { Port = IntOrString.FromInt(port), Path = path, HttpHeaders = headers.Length > 0 ? headers : null };

    /// <summary>The header lines of a request head as (name, value), in order.</summary>
    private static List<(string Name, string Value)> HeadersOf(string head) =>
        [.. head.Split("\r\n").Skip(1).Where(l => l.Length > 0).Select(l => (l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim()))];

    [Theory]
    [InlineData(200, ProbeResult.Success, "fine")]
    [InlineData(204, ProbeResult.Success, "")]
    [InlineData(300, ProbeResult.Warning, "Probe terminated redirects, Response body: fine")]
    [InlineData(399, ProbeResult.Warning, "Probe terminated redirects, Response body: fine")]
    [InlineData(400, ProbeResult.Failure, "HTTP probe failed with statuscode: 400")]
    [InlineData(404, ProbeResult.Failure, "HTTP probe failed with statuscode: 404")]
    [InlineData(500, ProbeResult.Failure, "HTTP probe failed with statuscode: 500")]
    public async Task TwoHundredToThreeNinetyNineSucceedsAndA3xxItDidNotFollowWarns(int status, ProbeResult result, string output)
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(status, status == 204 ? "" : "fine"));

        var outcome = await ProbeAsync(Get(server.Port, "/healthz"));

        Assert.Equal(new ProbeOutcome(result, output), outcome);
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", Assert.Single(server.Heads), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsUpstreamsDefaultHeadersToThePodIp()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(200));

        Assert.True((await ProbeAsync(Get(server.Port))).Success);

        var head = Assert.Single(server.Heads);
        Assert.StartsWith("GET / HTTP/1.1\r\n", head, StringComparison.Ordinal);
        var headers = HeadersOf(head);
        Assert.Contains(("Host", $"127.0.0.1:{server.Port}"), headers);
        Assert.Contains(("User-Agent", "kube-probe/1.33"), headers);
        Assert.Contains(("Accept", "*/*"), headers);
        Assert.Contains(("Connection", "close"), headers);
        Assert.DoesNotContain(headers, h => h.Name.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheProbesHeadersReplaceTheDefaultsAndAHostHeaderSetsTheHost()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(200));
        var get = Get(server.Port, "healthz?verbose=1",
            new HTTPHeader { Name = "Host", Value = "app.example" },
            new HTTPHeader { Name = "User-Agent", Value = "custom/1" },
            new HTTPHeader { Name = "Accept", Value = "" },
            new HTTPHeader { Name = "X-Probe", Value = "yes" });

        Assert.True((await ProbeAsync(get)).Success);

        var head = Assert.Single(server.Heads);
        Assert.StartsWith("GET /healthz?verbose=1 HTTP/1.1\r\n", head, StringComparison.Ordinal);
        var headers = HeadersOf(head);
        Assert.Equal([("Host", "app.example")], headers.Where(h => h.Name == "Host"));
        Assert.Equal([("User-Agent", "custom/1")], headers.Where(h => h.Name == "User-Agent"));
        Assert.DoesNotContain(headers, h => h.Name == "Accept");
        Assert.Contains(("X-Probe", "yes"), headers);
    }

    [Fact]
    public async Task AnEmptyUserAgentSendsNone()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(200));

        Assert.True((await ProbeAsync(Get(server.Port, "/", new HTTPHeader { Name = "user-agent", Value = "" }))).Success);

        Assert.DoesNotContain(HeadersOf(Assert.Single(server.Heads)), h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FollowsARedirectOnTheSameHost()
    {
        await using var server = new RawHttpServer(head => RawHttpServer.PathOf(head) == "/start"
            ? RawHttpServer.Response(302, "", "Location: /next")
            : RawHttpServer.Response(200, "there"));

        var outcome = await ProbeAsync(Get(server.Port, "/start", new HTTPHeader { Name = "X-Probe", Value = "yes" }));

        Assert.Equal(ProbeOutcome.Passed("there"), outcome);
        Assert.Equal(["/start", "/next"], server.Heads.Select(RawHttpServer.PathOf));
        var second = HeadersOf(server.Heads[1]);
        Assert.Contains(("X-Probe", "yes"), second);
        Assert.Contains(("Referer", $"http://127.0.0.1:{server.Port}/start"), second);
    }

    [Fact]
    public async Task ARedirectToAnotherHostIsNotFollowedAndWarns()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(301, "moved", "Location: http://localhost:1/elsewhere"));

        var outcome = await ProbeAsync(Get(server.Port, "/"));

        Assert.Equal(ProbeOutcome.Warned("Probe terminated redirects, Response body: moved"), outcome);
        Assert.True(outcome.Success);
        Assert.Single(server.Heads);
    }

    [Fact]
    public async Task StopsAfterTenRedirects()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(307, "", "Location: /loop"));

        var outcome = await ProbeAsync(Get(server.Port, "/loop"));

        Assert.Equal(ProbeOutcome.Failed("Get \"/loop\": stopped after 10 redirects"), outcome);
        Assert.Equal(11, server.Heads.Count);
    }

    [Fact]
    public async Task ReadsAtMostTenKibibytesOfTheBody()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(200, new string('a', 20_000)));

        var outcome = await ProbeAsync(Get(server.Port));

        Assert.Equal(ProbeOutcome.Passed(new string('a', 10 * 1024)), outcome);
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerWithinTheTimeoutFails()
    {
        await using var server = new RawHttpServer(_ => null);

        var outcome = await ProbeAsync(Get(server.Port, "/slow"));

        Assert.Equal(ProbeOutcome.Failed($"Get \"http://127.0.0.1:{server.Port}/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"), outcome);
    }

    [Fact]
    public async Task ARefusedConnectionFailsWithGosDialError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        listener.Dispose();

        var outcome = await ProbeAsync(Get(port, "/healthz"));

        Assert.Equal(ProbeOutcome.Failed($"Get \"http://127.0.0.1:{port}/healthz\": dial tcp 127.0.0.1:{port}: connect: connection refused"), outcome);
    }

    [Fact]
    public async Task APortNameIsTheContainersPortOfThatName()
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Response(200));
        var container = new Container { Name = "app", Ports = [new ContainerPort { Name = "web", ContainerPortValue = server.Port }] };

        Assert.True((await ProbeAsync(new HTTPGetAction { Port = IntOrString.FromString("web") }, container)).Success);
        Assert.Single(server.Heads);
    }

    [Theory]
    [InlineData("nope", "port \"nope\" not found")]
    [InlineData(null, "invalid port number: 0")]
    public async Task APortThatDoesNotResolveErrors(string? name, string error)
    {
        var get = new HTTPGetAction { Port = name is null ? IntOrString.FromInt(0) : IntOrString.FromString(name) };

        var outcome = await ProbeAsync(get);

        Assert.Equal(ProbeOutcome.Errored(error), outcome);
        Assert.False(outcome.Success);
    }

    [Fact]
    public async Task HttpsDoesNotVerifyTheCertificate()
    {
        using var key = ECDsa.Create();
        using var selfSigned = new CertificateRequest("CN=probe-test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync($"secure {context.Request.Headers.UserAgent}"));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;

        var outcome = await ProbeAsync(new HTTPGetAction { Port = IntOrString.FromInt(port), Scheme = "HTTPS" });

        Assert.Equal(ProbeOutcome.Passed("secure kube-probe/1.33"), outcome);
        await app.StopAsync();
    }
}
