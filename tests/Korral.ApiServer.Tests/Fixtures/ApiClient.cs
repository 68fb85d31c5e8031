using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>A thin REST client for tests: raw requests in, <see cref="ApiResponse"/> out, no retries, no magic.</summary>
public sealed class ApiClient(HttpClient http)
{
    public const string Json = "application/json";

    public HttpClient Http { get; } = http;

    public Task<ApiResponse> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, accept: accept);

    public Task<ApiResponse> PostAsync(string path, JsonNode body, string? accept = null) =>
        SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body.ToJsonString()), Json, accept);

    public Task<ApiResponse> PutAsync(string path, JsonNode body) =>
        SendAsync(HttpMethod.Put, path, Encoding.UTF8.GetBytes(body.ToJsonString()), Json);

    public Task<ApiResponse> PatchAsync(string path, string body, string contentType = "application/merge-patch+json") =>
        SendAsync(HttpMethod.Patch, path, Encoding.UTF8.GetBytes(body), contentType);

    public Task<ApiResponse> DeleteAsync(string path, JsonNode? options = null) =>
        SendAsync(HttpMethod.Delete, path, options is null ? null : Encoding.UTF8.GetBytes(options.ToJsonString()), options is null ? null : Json);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, byte[]? body = null, string? contentType = null, string? accept = null,
        Version? version = null, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            // A hand-built request does not take the client's defaults: HTTP/1.1 unless told.
            Version = Http.DefaultRequestVersion,
            VersionPolicy = Http.DefaultVersionPolicy,
        };
        if (expectContinue)
        {
            // The body follows only once the server asks for it: a server that refuses on the headers alone answers
            // without the client having pushed megabytes into a closing connection.
            request.Headers.ExpectContinue = true;
        }

        if (version is not null)
        {
            request.Version = version;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new ApiResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", bytes, response.Version,
            $"{method} {path}")
        {
            RetryAfter = response.Headers.RetryAfter?.ToString(),
        };
    }

    /// <summary>POSTs and insists on 201 Created; returns the stored object.</summary>
    public async Task<JsonObject> CreateAsync(string path, JsonNode body)
    {
        var response = await PostAsync(path, body);
        ApiAssert.Code(201, response);
        return response.Object;
    }

    /// <summary>GETs and insists on 200; returns the object.</summary>
    public async Task<JsonObject> ReadAsync(string path)
    {
        var response = await GetAsync(path);
        ApiAssert.Code(200, response);
        return response.Object;
    }

    /// <summary>Opens a watch: the response headers have arrived when this returns; events are read line by line.</summary>
    public async Task<WatchStream> WatchAsync(string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path)
        {
            Version = Http.DefaultRequestVersion,
            VersionPolicy = Http.DefaultVersionPolicy,
        };
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new WatchStream(request, response, await response.Content.ReadAsStreamAsync(), path);
    }
}
