using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Serialization;
using Korral.ApiServer.WatchCache;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private static readonly byte[] EventSuffix = "}\n"u8.ToArray();
    private static readonly byte[] AddedPrefix = """{"type":"ADDED","object":"""u8.ToArray();
    private static readonly byte[] ModifiedPrefix = """{"type":"MODIFIED","object":"""u8.ToArray();
    private static readonly byte[] DeletedPrefix = """{"type":"DELETED","object":"""u8.ToArray();

    /// <summary>
    /// Streams watch events as JSON lines ({"type":…,"object":…}), from the watch cache's window when a
    /// resourceVersion is given (410 Expired as an ERROR event when it is too old), or starting with ADDED events
    /// for every current object when it is not.
    /// </summary>
    private async Task WatchAsync(HttpContext context, RequestInfo request, ResourceInfo resource, ListOptions options, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var predicate = selectors.Compile(resource, options.LabelSelector, options.FieldSelector);
        if (request.Name.Length > 0)
        {
            // A watch on one object (legacy /watch/…/name path) is a watch filtered by name.
            var inner = predicate;
            var name = request.Name;
            predicate = o => o.Name == name && (inner is null || inner(o));
        }

        var filter = new WatchFilter(request.Namespace, predicate);
        var cache = store.CacheFor(resource);

        CacheWatcher watcher;
        List<(string Type, CachedObject Object)> initial = [];
        var rvParam = options.ResourceVersion;
        if (rvParam is null or "0")
        {
            if (rvParam is null)
            {
                await store.Caches.WaitUntilFreshAsync(cancellationToken);
            }

            var (w, current) = cache.WatchFromNow(filter);
            watcher = w;
            current.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            initial.AddRange(current.Select(o => ("ADDED", o)));
        }
        else
        {
            var rv = ListOptions.ParseResourceVersion(rvParam);
            if (!await store.Caches.WaitForRevisionAsync(rv, TimeSpan.FromSeconds(3), cancellationToken))
            {
                throw ApiErrors.TooLargeResourceVersion(rv, store.Caches.Revision);
            }

            var started = cache.Watch(filter, rv);
            if (started is null)
            {
                await StartStreamAsync(context, cancellationToken);
                var gone = ApiErrors.Expired($"too old resource version: {rv} ({cache.OldestWatchableRevision})");
                await WriteEventAsync(context, "ERROR", gone.ToStatus(), cancellationToken);
                return;
            }

            watcher = started.Value.Watcher;
            foreach (var e in started.Value.Backlog)
            {
                if (filter.Classify(e) is { } type)
                {
                    initial.Add((TypeName(type), e.Object));
                }
            }
        }

        var timeout = options.TimeoutSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : watchSettings.MaxDuration;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        var tableState = new TableWatchState(format);
        try
        {
            await StartStreamAsync(context, cancellationToken);
            foreach (var (type, obj) in initial)
            {
                await WriteObjectEventAsync(context, resource, type, obj, tableState, cancellationToken);
            }

            await context.Response.Body.FlushAsync(cancellationToken);
            var reader = watcher.Events;
            while (!token.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
                if (options.AllowWatchBookmarks)
                {
                    idle.CancelAfter(watchSettings.BookmarkInterval);
                }

                bool available;
                try
                {
                    available = await reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // Idle: tell the client how far it is up to date, so it can resume from here.
                    var revision = store.Caches.Revision;
                    if (!reader.TryPeek(out _))
                    {
                        await WriteBookmarkAsync(context, resource, revision, cancellationToken);
                        await context.Response.Body.FlushAsync(cancellationToken);
                    }

                    continue;
                }

                if (!available)
                {
                    // Closed by the cache: the watcher fell behind or the cache was reloaded. Ending the stream makes
                    // the client watch again from its last resourceVersion (and re-list if that is too old).
                    break;
                }

                while (reader.TryRead(out var e))
                {
                    await WriteObjectEventAsync(context, resource, TypeName(e.Type), e.Object, tableState, cancellationToken);
                }

                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timeoutSeconds elapsed: end the stream normally.
        }
        finally
        {
            cache.StopWatch(watcher);
        }
    }

    private static string TypeName(CacheEventType type) => type switch
    {
        CacheEventType.Added => "ADDED",
        CacheEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };

    private static async Task StartStreamAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = Responses.JsonContentType;
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(cancellationToken);
    }

    private sealed class TableWatchState(ResponseFormat format)
    {
        public ResponseFormat Format { get; } = format;

        public bool ColumnsSent { get; set; }
    }

    private async Task WriteObjectEventAsync(HttpContext context, ResourceInfo resource, string type, CachedObject obj, TableWatchState state,
        CancellationToken cancellationToken)
    {
        var body = context.Response.Body;
        switch (state.Format.Shape)
        {
            case ResponseShape.Table:
                var parsed = (JsonObject)JsonNode.Parse(obj.Json.Span)!;
                var table = new JsonObject
                {
                    ["kind"] = "Table",
                    ["apiVersion"] = $"meta.k8s.io/{state.Format.MetaVersion}",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = obj.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
                    ["columnDefinitions"] = state.ColumnsSent ? new JsonArray() : tables.ColumnDefinitions(resource),
                    ["rows"] = new JsonArray(Row(resource, parsed, time.GetUtcNow(), "Metadata", state.Format.MetaVersion)),
                };
                state.ColumnsSent = true;
                await WriteEventAsync(context, type, table, cancellationToken);
                return;
            case ResponseShape.PartialMetadata:
                await WriteEventAsync(context, type, PartialMetadata((JsonObject)JsonNode.Parse(obj.Json.Span)!, state.Format.MetaVersion), cancellationToken);
                return;
            default:
                // The cached bytes go out as they are: no parse, no re-serialisation per watcher.
                await body.WriteAsync(EventPrefix(type), cancellationToken);
                await body.WriteAsync(obj.Json, cancellationToken);
                await body.WriteAsync(EventSuffix, cancellationToken);
                return;
        }
    }

    private static byte[] EventPrefix(string type) => type switch
    {
        "ADDED" => AddedPrefix,
        "MODIFIED" => ModifiedPrefix,
        _ => DeletedPrefix,
    };

    private static async Task WriteEventAsync(HttpContext context, string type, JsonNode obj, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = type, ["object"] = obj });
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
        await context.Response.Body.WriteAsync(Newline, cancellationToken);
    }

    private static Task WriteBookmarkAsync(HttpContext context, ResourceInfo resource, long revision, CancellationToken cancellationToken)
    {
        var bookmark = new JsonObject
        {
            ["kind"] = resource.Kind,
            ["apiVersion"] = resource.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
        };
        return WriteEventAsync(context, "BOOKMARK", bookmark, cancellationToken);
    }
}
