using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

public sealed class RegistryMirrorTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly List<string> _log = [];
    private ImageStore _store = null!;
    private RegistryMirror _mirror = null!;
    private HttpClient _http = null!;
    private (string Digest, int Size, byte[] Manifest, string ConfigDigest, string LayerDigest) _busybox;
    private byte[] _busyboxLayer = [];
    private (string Digest, int Size, byte[] Index) _pause;

    public async Task InitializeAsync()
    {
        _store = new ImageStore(_temp["store"]);
        var layout = new OciLayoutBuilder();
        _busybox = layout.AddImage(TestImages.LargeLayer(200_000, seed: 3), gzipLayer: true);
        layout.Name(_busybox.Digest, _busybox.Size, "docker.io/library/busybox:1.28");
        var pause = layout.AddImage(TestImages.Layer(("pause", "x")));
        _pause = layout.AddIndex((pause.Digest, pause.Size, "amd64"));
        layout.Name(_pause.Digest, _pause.Size, "registry.k8s.io/pause:3.10", mediaType: OciMediaTypes.ImageIndex);
        layout.Name(pause.Digest, pause.Size, "localhost:5000/web:v1");
        layout.WriteTo(_temp["images.tar"]);
        await new ArchiveImporter(_store).ImportAsync(_temp["images.tar"], null, CancellationToken.None);
        _busyboxLayer = await File.ReadAllBytesAsync(Path.Combine(_store.Directory, "blobs", "sha256", _busybox.LayerDigest[7..]));

        _mirror = await RegistryMirror.StartAsync(_store, new RegistryMirrorOptions { Log = Log }, CancellationToken.None);
        _http = new HttpClient { BaseAddress = _mirror.Endpoint };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mirror.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Listens_on_loopback_and_answers_the_version_check()
    {
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", _mirror.Endpoint.ToString());
        Assert.NotEqual(0, _mirror.Endpoint.Port);

        using var response = await _http.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Serves_a_manifest_by_tag_for_the_registry_containerd_names_in_ns(string method)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/v2/library/busybox/manifests/1.28?ns=docker.io"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OciMediaTypes.ImageManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_busybox.Digest, Header(response, "Docker-Content-Digest"));
        Assert.Equal(_busybox.Size, response.Content.Headers.ContentLength);
        Assert.Equal(method == "GET" ? _busybox.Manifest : [], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Serves_an_index_by_tag_and_its_manifests_by_digest()
    {
        using var index = await _http.GetAsync("/v2/pause/manifests/3.10?ns=registry.k8s.io");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal(OciMediaTypes.ImageIndex, index.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_pause.Index, await index.Content.ReadAsByteArrayAsync());

        var child = (string)JsonNode.Parse(_pause.Index)!["manifests"]![0]!["digest"]!;
        using var manifest = await _http.GetAsync($"/v2/pause/manifests/{child}?ns=registry.k8s.io");
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(OciMediaTypes.ImageManifest, manifest.Content.Headers.ContentType?.MediaType);
        Assert.Equal(child, Header(manifest, "Docker-Content-Digest"));
        Assert.Equal(child, TestImages.Digest(await manifest.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Streams_blobs_whole_and_by_range()
    {
        var path = $"/v2/library/busybox/blobs/{_busybox.LayerDigest}?ns=docker.io";
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(_busyboxLayer.Length, head.Content.Headers.ContentLength);
        Assert.Equal(_busybox.LayerDigest, Header(head, "Docker-Content-Digest"));

        using var whole = await _http.GetAsync(path);
        Assert.Equal(_busyboxLayer, await whole.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{_busyboxLayer.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(_busyboxLayer[100..200], await part.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, path);
        beyond.Headers.Range = new RangeHeaderValue(_busyboxLayer.Length, null);
        using var unsatisfiable = await _http.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Fact]
    public async Task Without_ns_the_registry_is_the_requested_host()
    {
        using var direct = new HttpRequestMessage(HttpMethod.Get, "/v2/web/manifests/v1");
        direct.Headers.Host = "localhost:5000";
        using var found = await _http.SendAsync(direct);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);

        using var asItself = await _http.GetAsync("/v2/library/busybox/manifests/1.28");
        Assert.Equal(HttpStatusCode.NotFound, asItself.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await ErrorCode(asItself));
    }

    [Theory]
    [InlineData("/v2/library/nosuch/manifests/latest?ns=docker.io", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    [InlineData("/v2/library/busybox/manifests/9.9?ns=docker.io", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("/v2/library/busybox/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000?ns=docker.io", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("/v2/library/busybox/manifests/sha256:nothex?ns=docker.io", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("/v2/library/busybox/blobs/sha256:1111111111111111111111111111111111111111111111111111111111111111?ns=docker.io", HttpStatusCode.NotFound, "BLOB_UNKNOWN")]
    [InlineData("/v2/library/nosuch/blobs/sha256:1111111111111111111111111111111111111111111111111111111111111111?ns=docker.io", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    [InlineData("/v2/library/busybox/blobs/md5:abc?ns=docker.io", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("/v2/Library/BusyBox/manifests/1.28?ns=docker.io", HttpStatusCode.BadRequest, "NAME_INVALID")]
    public async Task Answers_what_it_lacks_with_distribution_errors(string path, HttpStatusCode status, string code)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
        Assert.Equal(code, await ErrorCode(response));
    }

    [Fact]
    public async Task Logs_the_images_it_cannot_serve()
    {
        using var response = await _http.GetAsync("/v2/library/busybox/manifests/9.9?ns=docker.io");

        lock (_log)
        {
            Assert.Contains("registry mirror: no manifest docker.io/library/busybox:9.9", _log);
        }
    }

    [Theory]
    [InlineData("PUT", "/v2/library/busybox/manifests/1.28")]
    [InlineData("POST", "/v2/library/busybox/blobs/uploads/")]
    [InlineData("PATCH", "/v2/library/busybox/blobs/uploads/x")]
    [InlineData("DELETE", "/v2/library/busybox/manifests/1.28")]
    public async Task Refuses_writes(string method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent([1]) });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("UNSUPPORTED", await ErrorCode(response));
    }

    [Fact]
    public async Task Lists_tags_of_a_repository()
    {
        using var response = await _http.GetAsync("/v2/library/busybox/tags/list?ns=docker.io");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("library/busybox", (string?)body["name"]);
        Assert.Equal(["1.28"], body["tags"]!.AsArray().Select(t => (string?)t));
    }

    [Fact]
    public async Task Serves_images_loaded_while_it_runs_and_never_a_half_loaded_one()
    {
        const int Images = 8;
        var archives = Enumerable.Range(0, Images).Select(i =>
        {
            var docker = new DockerArchiveBuilder();
            var layer = TestImages.LargeLayer(128 * 1024, seed: 100 + i);
            docker.AddImage([$"late:{i}"], [layer], [layer]);
            docker.WriteTo(_temp[$"late-{i}.tar"]);
            return _temp[$"late-{i}.tar"];
        }).ToList();
        using var before = await _http.GetAsync("/v2/library/late/manifests/0?ns=docker.io");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);

        // Another store instance on the same directory, as `korral image load` in another process would be.
        var loader = new ArchiveImporter(new ImageStore(_store.Directory));
        using var done = new CancellationTokenSource();
        var polling = Task.Run(async () =>
        {
            bool last;
            do
            {
                last = done.IsCancellationRequested;
                for (var i = 0; i < Images; i++)
                {
                    await AssertAbsentOrCompleteAsync($"late/manifests/{i}");
                }
            }
            while (!last);
        });
        foreach (var archive in archives)
        {
            await loader.ImportAsync(archive, null, CancellationToken.None);
        }

        await done.CancelAsync();
        await polling;
        for (var i = 0; i < Images; i++)
        {
            Assert.True(await AssertAbsentOrCompleteAsync($"late/manifests/{i}"), $"late:{i} is not served after its load");
        }
    }

    [Fact]
    public async Task Rejects_an_invalid_port()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RegistryMirror.StartAsync(_store, new RegistryMirrorOptions { Port = 70000 }, CancellationToken.None));

        Assert.Contains("between 0 and 65535", error.Message);
    }

    /// <summary>Fetches a docker.io/library manifest: true when served with all its blobs, false when unknown; anything else fails.</summary>
    private async Task<bool> AssertAbsentOrCompleteAsync(string path)
    {
        using var response = await _http.GetAsync($"/v2/library/{path}?ns=docker.io");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            Assert.Contains(await ErrorCode(response), new[] { "NAME_UNKNOWN", "MANIFEST_UNKNOWN" });
            return false;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var manifest = JsonNode.Parse(await response.Content.ReadAsByteArrayAsync())!;
        var repository = path[..path.IndexOf('/', StringComparison.Ordinal)];
        foreach (var blob in manifest["layers"]!.AsArray().Append(manifest["config"]))
        {
            using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/library/{repository}/blobs/{blob!["digest"]}?ns=docker.io"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal((long)blob["size"]!, head.Content.Headers.ContentLength);
        }

        return true;
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static async Task<string?> ErrorCode(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        return (string?)error["code"];
    }
}
