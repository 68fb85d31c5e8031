using System.Text;
using Korral.Kubelet.Logs;
using Korral.Kubelet.Tests.Logs;

namespace Korral.Kubelet.Tests.Server;

/// <summary>
/// The kubelet HTTPS API with a fake log source: client certificate authentication and authorization with upstream's
/// answers, routing, /containerLogs options and refusals, and streaming of a followed log.
/// </summary>
public sealed class KubeletServerTests(KubeletServerFixture fixture) : IClassFixture<KubeletServerFixture>
{
    private readonly string _ns = $"ns-{Guid.NewGuid():N}"[..12];

    private HttpClient ApiServer => fixture.Http(fixture.Client("kube-apiserver-kubelet-client"));

    private string WriteLog(params string[] lines)
    {
        var path = Path.Combine(fixture.Dir.Path, $"{Guid.NewGuid():N}.log");
        File.WriteAllText(path, string.Concat(lines.Select((l, i) => $"2020-01-01T10:00:0{i % 10}Z stdout F {l}\n")));
        return path;
    }

    private static async Task<(int Code, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_answers_ok_to_an_authorized_caller()
    {
        Assert.Equal((200, "ok"), await GetAsync(ApiServer, "/healthz"));
        Assert.True(fixture.Server.Port > 0);
    }

    [Fact]
    public async Task The_api_server_and_masters_may_read_logs()
    {
        fixture.Logs.Answer(_ns, "web", "main", ContainerLogLookup.Log(WriteLog("one", "two"), null));

        Assert.Equal((200, "one\ntwo\n"), await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/main"));
        Assert.Equal((200, "one\ntwo\n"), await GetAsync(fixture.Http(fixture.Client("admin", "system:masters")), $"/containerLogs/{_ns}/web/main"));
    }

    [Fact]
    public async Task Without_a_trusted_certificate_the_caller_is_unauthorized()
    {
        Assert.Equal((401, "Unauthorized"), await GetAsync(fixture.Http(null), "/healthz"));
        Assert.Equal((401, "Unauthorized"), await GetAsync(fixture.Http(null), $"/containerLogs/{_ns}/web/main"));
        Assert.Equal((401, "Unauthorized"),
            await GetAsync(fixture.Http(fixture.ForeignClient("kube-apiserver-kubelet-client", "system:masters")), $"/containerLogs/{_ns}/web/main"));
    }

    [Fact]
    public async Task Other_users_are_forbidden_before_routing()
    {
        var bob = fixture.Http(fixture.Client("bob", "developers"));
        Assert.Equal((403, "Forbidden (user=bob, verb=get, resource=nodes, subresource=proxy)"), await GetAsync(bob, $"/containerLogs/{_ns}/web/main"));
        Assert.Equal((403, "Forbidden (user=bob, verb=get, resource=nodes, subresource=proxy)"), await GetAsync(bob, "/no/such/path"));
        Assert.Equal((403, "Forbidden (user=bob, verb=get, resource=nodes, subresource=healthz)"), await GetAsync(bob, "/healthz"));
        using var post = await bob.PostAsync($"/containerLogs/{_ns}/web/main", null);
        Assert.Equal("Forbidden (user=bob, verb=create, resource=nodes, subresource=proxy)", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_refused()
    {
        Assert.Equal((404, "404: Page Not Found"), await GetAsync(ApiServer, "/containerLogs/only/two"));
        Assert.Equal((404, "404: Page Not Found"), await GetAsync(ApiServer, "/exec/a/b/c"));
        using var post = await ApiServer.PostAsync($"/containerLogs/{_ns}/web/main", null);
        Assert.Equal(405, (int)post.StatusCode);
    }

    [Fact]
    public async Task Refusals_of_the_source_keep_their_status_and_text()
    {
        fixture.Logs.Answer(_ns, "web", "main",
            ContainerLogLookup.Unavailable("container \"main\" in pod \"web\" is waiting to start: ContainerCreating"));
        fixture.Logs.Answer(_ns, "web", "sidecar", ContainerLogLookup.ContainerNotFound("sidecar", "web"));

        Assert.Equal((400, "container \"main\" in pod \"web\" is waiting to start: ContainerCreating"),
            await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/main"));
        Assert.Equal((404, "container \"sidecar\" not found in pod \"web\""), await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/sidecar"));
        Assert.Equal((404, "pod \"other\" does not exist"), await GetAsync(ApiServer, $"/containerLogs/{_ns}/other/main"));
    }

    [Fact]
    public async Task A_log_file_that_vanished_is_a_bad_request()
    {
        var path = Path.Combine(fixture.Dir.Path, "gone.log");
        fixture.Logs.Answer(_ns, "web", "main", ContainerLogLookup.Log(path, null));
        Assert.Equal((400, $"failed to try resolving symlinks in path \"{path}\": lstat {path}: no such file or directory"),
            await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/main"));
    }

    [Theory]
    [InlineData("tailLines=abc", 400, """{"message": "Unable to decode query."}""")]
    [InlineData("sinceTime=yesterday", 400, """{"message": "Unable to decode query."}""")]
    [InlineData("tailLines=-1", 422, """{"message": "Invalid request."}""")]
    [InlineData("limitBytes=0", 422, """{"message": "Invalid request."}""")]
    [InlineData("sinceSeconds=0", 422, """{"message": "Invalid request."}""")]
    [InlineData("sinceSeconds=10&sinceTime=2020-01-01T00:00:00Z", 422, """{"message": "Invalid request."}""")]
    public async Task Bad_options_are_refused_as_upstream(string query, int code, string text)
    {
        fixture.Logs.Answer(_ns, "web", "main", ContainerLogLookup.Log(WriteLog("one"), null));
        Assert.Equal((code, text), await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/main?{query}"));
    }

    [Theory]
    [InlineData("tailLines=2", "three\nfour\n")]
    [InlineData("tail=1", "four\n")]
    [InlineData("tail=all&tailLines=1", "one\ntwo\nthree\nfour\n")]
    [InlineData("limitBytes=6", "one\ntw")]
    [InlineData("timestamps=true&tailLines=1", "2020-01-01T10:00:03.000000000Z four\n")]
    [InlineData("timestamps=0&tailLines=1", "four\n")]
    [InlineData("sinceTime=2020-01-01T10:00:02Z", "three\nfour\n")]
    [InlineData("sinceTime=2020-01-01T12:00:02%2B02:00", "three\nfour\n")]
    [InlineData("follow=false&sinceSeconds=1", "")]
    public async Task Options_shape_the_output(string query, string expected)
    {
        fixture.Logs.Answer(_ns, "web", "main", ContainerLogLookup.Log(WriteLog("one", "two", "three", "four"), null));
        Assert.Equal((200, expected), await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/main?{query}"));
    }

    [Fact]
    public async Task Previous_asks_the_source_for_the_last_terminated_attempt()
    {
        fixture.Logs.Answer(_ns, "web", "main", ContainerLogLookup.Log(WriteLog("old attempt"), null), previous: true);
        Assert.Equal((200, "old attempt\n"), await GetAsync(ApiServer, $"/containerLogs/{_ns}/web/main?previous=true"));
        Assert.Contains(new ContainerLogRequest(_ns, "web", "main", true), fixture.Logs.Requests);
    }

    [Fact]
    public async Task A_followed_log_streams_lines_as_they_are_written_and_ends_when_the_container_stops()
    {
        var path = WriteLog("first");
        var running = true;
        fixture.Logs.Answer(_ns, "web", "main", ContainerLogLookup.Log(path, _ => ValueTask.FromResult(Volatile.Read(ref running))));

        // The headers arrive before the container writes anything more.
        using var response = await ApiServer.GetAsync($"/containerLogs/{_ns}/web/main?follow=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var reader = new StreamReader(body, Encoding.UTF8);
        Assert.Equal("first", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        File.AppendAllText(path, "2020-01-01T10:00:05Z stdout F second\n");
        Assert.Equal("second", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        Volatile.Write(ref running, false);
        Assert.Equal("", await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
