using System.Net;
using System.Text;

namespace Korral.Scheduler.Tests.Fakes;

/// <summary>
/// An HTTP handler standing in for the API server: every request is recorded as "METHOD path body" and succeeds (a
/// DELETE answers with a Success Status, anything else with an empty object), except paths listed in
/// <see cref="Failures"/>, which answer with that code and a Status of the matching reason.
/// </summary>
public sealed class FakeApiServer : HttpMessageHandler
{
    private readonly List<string> _requests = [];

    /// <summary>URL path → the error code requests to it get (404 NotFound, 500 InternalError…).</summary>
    public Dictionary<string, HttpStatusCode> Failures { get; } = [];

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
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_requests)
        {
            _requests.Add(body.Length == 0 ? $"{request.Method} {path}" : $"{request.Method} {path} {body}");
        }

        if (Failures.TryGetValue(path, out var code))
        {
            var reason = code == HttpStatusCode.NotFound ? "NotFound" : "InternalError";
            return Json(code, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{{reason}}","message":"{{path}}: {{reason}}","code":{{(int)code}}}""");
        }

        return request.Method == HttpMethod.Delete
            ? Json(HttpStatusCode.OK, """{"kind":"Status","apiVersion":"v1","status":"Success","code":200}""")
            : Json(HttpStatusCode.OK, "{}");
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string json) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
