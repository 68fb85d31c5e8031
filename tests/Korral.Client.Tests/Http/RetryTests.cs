using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.Http;

/// <summary>Which failures the client retries, and how it reports the ones it does not (scripted HTTP answers).</summary>
public sealed class RetryTests
{
    private static readonly string ConfigMapJson = """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"n","resourceVersion":"7"}}""";

    private static (KubeClient Client, ScriptedHandler Handler) Client(int maxRetries = 3, string? token = null)
    {
        var handler = new ScriptedHandler();
        var client = new KubeClient(new KubeClientOptions
        {
            Server = new Uri("https://example.invalid:6443"),
            Handler = handler,
            MaxRetries = maxRetries,
            BearerToken = token,
            RetryInitialDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(2),
        });
        return (client, handler);
    }

    [Fact]
    public async Task A_get_is_retried_after_5xx_and_a_broken_connection()
    {
        var (client, handler) = Client();
        handler.Answer(HttpStatusCode.ServiceUnavailable, ScriptedHandler.Status(503, "ServiceUnavailable", "busy"))
            .Fail(HttpRequestError.ResponseEnded)
            .Answer(HttpStatusCode.OK, ConfigMapJson);

        var cm = await client.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None);

        Assert.Equal("7", cm.Metadata?.ResourceVersion);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("/api/v1/namespaces/n/configmaps/a", r.PathAndQuery));
    }

    [Fact]
    public async Task A_create_is_not_retried_after_5xx_or_a_broken_connection()
    {
        var (client, handler) = Client();
        handler.Answer(HttpStatusCode.InternalServerError, ScriptedHandler.Status(500, "InternalError", "oops"));

        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.Resource<ConfigMap>().CreateAsync(Objects.ConfigMap("n", "a"), CancellationToken.None));
        Assert.Equal(500, e.Code);
        Assert.Equal("InternalError", e.Reason);
        Assert.Single(handler.Requests);

        handler.Fail(HttpRequestError.ResponseEnded);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.Resource<ConfigMap>().CreateAsync(Objects.ConfigMap("n", "a"), CancellationToken.None));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_create_is_retried_when_the_connection_could_not_be_opened_or_the_server_said_retry_after()
    {
        var (client, handler) = Client();
        handler.Fail(HttpRequestError.ConnectionError)
            .Answer(HttpStatusCode.TooManyRequests, ScriptedHandler.Status(429, "TooManyRequests", "slow down"),
                r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMilliseconds(1)))
            .Answer(HttpStatusCode.Created, ConfigMapJson);

        await client.Resource<ConfigMap>().CreateAsync(Objects.ConfigMap("n", "a"), CancellationToken.None);

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Post, r.Method));
    }

    [Fact]
    public async Task A_429_without_retry_after_on_a_post_is_an_answer()
    {
        var (client, handler) = Client();
        handler.Answer(HttpStatusCode.TooManyRequests, ScriptedHandler.Status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget."));

        var e = await Assert.ThrowsAsync<KubeApiException>(() =>
            client.Resource<Pod>().EvictAsync("n", "p", new Korral.Api.Models.PolicyV1.Eviction(), CancellationToken.None));

        Assert.True(e.IsTooManyRequests);
        Assert.Single(handler.Requests);
        Assert.Equal("/api/v1/namespaces/n/pods/p/eviction", handler.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task Retries_stop_after_max_retries_with_the_last_error()
    {
        var (client, handler) = Client(maxRetries: 2);
        for (var i = 0; i < 3; i++)
        {
            handler.Answer(HttpStatusCode.GatewayTimeout, ScriptedHandler.Status(504, "Timeout", $"try {i}"));
        }

        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None));

        Assert.Equal("try 2", e.Status.Message);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Errors_without_a_status_body_get_the_reason_of_their_code()
    {
        var (client, handler) = Client(maxRetries: 0);
        handler.Answer(HttpStatusCode.NotFound, "404 page not found");

        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None));

        Assert.True(e.IsNotFound);
        Assert.Equal("404 page not found", e.Status.Message);
    }

    [Fact]
    public async Task A_bearer_token_is_sent_and_a_token_file_is_read()
    {
        var (client, handler) = Client(token: "abc");
        handler.Answer(HttpStatusCode.OK, ConfigMapJson);
        await client.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None);
        Assert.Equal("Bearer abc", handler.Requests[0].Authorization);

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "from-file\n");
            var time = new FakeTimeProvider();
            var fileHandler = new ScriptedHandler().Answer(HttpStatusCode.OK, ConfigMapJson).Answer(HttpStatusCode.OK, ConfigMapJson).Answer(HttpStatusCode.OK, ConfigMapJson);
            using var fromFile = new KubeClient(new KubeClientOptions { Server = new Uri("https://x.invalid"), Handler = fileHandler, BearerTokenFile = file, Time = time });
            await fromFile.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None);
            await File.WriteAllTextAsync(file, "rotated");
            await fromFile.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(2));
            await fromFile.Resource<ConfigMap>().GetAsync("n", "a", CancellationToken.None);

            Assert.Equal(["Bearer from-file", "Bearer from-file", "Bearer rotated"], fileHandler.Requests.Select(r => r.Authorization));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Patches_carry_their_content_type_and_are_not_retried()
    {
        var (client, handler) = Client();
        handler.Answer(HttpStatusCode.ServiceUnavailable, ScriptedHandler.Status(503, "ServiceUnavailable", "busy"));

        await Assert.ThrowsAsync<KubeApiException>(() =>
            client.Resource<ConfigMap>().PatchAsync("n", "a", PatchType.StrategicMerge, """{"data":{"x":"y"}}""", CancellationToken.None));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("application/strategic-merge-patch+json", request.ContentType);
        Assert.Equal(HttpMethod.Patch, request.Method);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_every_problem()
    {
        var e = Assert.Throws<ArgumentException>(() => new KubeClient(new KubeClientOptions
        {
            Server = new Uri("ftp://x"),
            MaxRetries = -1,
            RequestTimeout = TimeSpan.Zero,
        }));

        Assert.Contains("http:// or https://", e.Message);
        Assert.Contains("max retries", e.Message);
        Assert.Contains("request timeout", e.Message);
    }

    [Fact]
    public async Task Namespaced_calls_without_a_namespace_are_refused_before_any_request()
    {
        var (client, handler) = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.Resource<ConfigMap>().GetAsync(null, "a", CancellationToken.None));
        Assert.Empty(handler.Requests);
    }
}
