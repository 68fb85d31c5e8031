using System.Net;
using System.Text;

namespace Korral.Client.Tests.Fixtures;

/// <summary>An HTTP handler that answers from a script and records what it was asked (method, path, headers, body).</summary>
public sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _answers = new();

    public List<(HttpMethod Method, string PathAndQuery, string? Authorization, string? ContentType, string? Body)> Requests { get; } = [];

    public ScriptedHandler Answer(HttpStatusCode code, string body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        _answers.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    public ScriptedHandler Answer(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public ScriptedHandler Fail(HttpRequestError error)
    {
        _answers.Enqueue(_ => throw new HttpRequestException(error, $"scripted {error}"));
        return this;
    }

    public static string Status(int code, string reason, string message) =>
        $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","code":{{code}},"reason":"{{reason}}","message":"{{message}}"}""";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!.PathAndQuery, request.Headers.Authorization?.ToString(),
                request.Content?.Headers.ContentType?.MediaType, body));
        }

        Func<HttpRequestMessage, HttpResponseMessage> answer;
        lock (_answers)
        {
            if (!_answers.TryDequeue(out answer!))
            {
                throw new InvalidOperationException($"no scripted answer left for {request.Method} {request.RequestUri}");
            }
        }

        return answer(request);
    }
}
