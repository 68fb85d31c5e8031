using System.Text.Json.Nodes;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>
/// An open watch response, read one JSON line at a time. Every read has a deadline: a missing event fails the test
/// with what was received so far rather than hanging it.
/// </summary>
public sealed class WatchStream : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpRequestMessage _request;
    private readonly StreamReader _reader;
    private readonly string _path;
    private readonly List<string> _seen = [];

    internal WatchStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, string path)
    {
        _request = request;
        Response = response;
        _reader = new StreamReader(body);
        _path = path;
    }

    public HttpResponseMessage Response { get; }

    public int Code => (int)Response.StatusCode;

    /// <summary>The next event ({"type":…,"object":…}); fails when none arrives in time or the stream ends.</summary>
    public async Task<JsonObject> NextAsync(TimeSpan? timeout = null)
    {
        var line = await ReadLineAsync(timeout ?? DefaultTimeout)
                   ?? throw new Xunit.Sdk.XunitException($"watch {_path}: the stream ended; events so far:\n{Seen()}");
        return JsonNode.Parse(line) as JsonObject ?? throw new Xunit.Sdk.XunitException($"watch {_path}: not a JSON object: {line}");
    }

    /// <summary>The next event that is not a BOOKMARK.</summary>
    public async Task<JsonObject> NextNonBookmarkAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var e = await NextAsync(timeout);
            if ((string?)e["type"] != "BOOKMARK")
            {
                return e;
            }
        }
    }

    /// <summary>Waits for the server to end the stream; fails if an event arrives first or it stays open too long.</summary>
    public async Task EndAsync(TimeSpan timeout)
    {
        var line = await ReadLineAsync(timeout);
        if (line is not null)
        {
            throw new Xunit.Sdk.XunitException($"watch {_path}: expected the stream to end, got {line}");
        }
    }

    private async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(cts.Token);
                if (line is null)
                {
                    return null;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                _seen.Add(line);
                return line;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"watch {_path}: nothing within {timeout.TotalSeconds} s; events so far:\n{Seen()}");
        }
    }

    private string Seen() => _seen.Count == 0 ? "(none)" : string.Join("\n", _seen.Select(s => s.Length > 400 ? s[..400] + "…" : s));

    public void Dispose()
    {
        _reader.Dispose();
        Response.Dispose();
        _request.Dispose();
    }
}
