using System.Net;
using System.Text;
using Korral.Api.Models;

namespace Korral.Controllers.Tests.GarbageCollector;

/// <summary>
/// An HTTP handler standing in for the API server in unit tests: GETs answer from <see cref="Objects"/> (path → object,
/// 404 otherwise), every other request succeeds with an empty object; every request is recorded as
/// "METHOD path body".
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly List<string> _requests = [];

    /// <summary>What GET answers, by URL path.</summary>
    public Dictionary<string, object> Objects { get; } = [];

    /// <summary>The requests that changed something (not GETs), in order.</summary>
    public List<string> Writes
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal))];
            }
        }
    }

    public List<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? "" : " " + await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_requests)
        {
            _requests.Add($"{request.Method} {path}{body}");
        }

        if (request.Method != HttpMethod.Get)
        {
            return Json(HttpStatusCode.OK, "{}");
        }

        return Objects.TryGetValue(path, out var obj)
            ? Json(HttpStatusCode.OK, KubeJson.Serialize(obj))
            : Json(HttpStatusCode.NotFound, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string json) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
