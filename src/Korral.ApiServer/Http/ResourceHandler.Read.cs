using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Serialization;
using Korral.ApiServer.WatchCache;
using Korral.Storage.Contract;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    private async Task GetAsync(HttpContext context, RequestInfo request, ResourceInfo resource, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var rv = context.Request.Query["resourceVersion"].ToString();
        CachedObject obj;
        if (rv is "0")
        {
            // "Any version": the cache as it is, without waiting for it to catch up.
            obj = store.CacheFor(resource).Get(ResourceStore.KeyFor(resource, request.Namespace, request.Name))
                  ?? throw ApiErrors.NotFound(resource, request.Name);
        }
        else
        {
            obj = await store.GetAsync(resource, request.Namespace, request.Name, cancellationToken);
        }

        switch (format.Shape)
        {
            case ResponseShape.Table:
                var now = time.GetUtcNow();
                var parsed = (JsonObject)JsonNode.Parse(obj.Json.Span)!;
                var table = new JsonObject
                {
                    ["kind"] = "Table",
                    ["apiVersion"] = $"meta.k8s.io/{format.MetaVersion}",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = obj.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["columnDefinitions"] = tables.ColumnDefinitions(resource),
                    ["rows"] = new JsonArray(Row(resource, parsed, now, ListOptions.From(context.Request.Query).IncludeObject, format.MetaVersion)),
                };
                await Responses.WriteAsync(context, 200, table, format.Yaml, cancellationToken);
                break;
            case ResponseShape.PartialMetadata:
                var meta = (JsonObject)JsonNode.Parse(obj.Json.Span)!;
                await Responses.WriteAsync(context, 200, PartialMetadata(meta, format.MetaVersion), format.Yaml, cancellationToken);
                break;
            default:
                await Responses.WriteJsonBytesAsync(context, 200, obj.Json, format.Yaml, cancellationToken);
                break;
        }
    }

    private JsonObject Row(ResourceInfo resource, JsonObject obj, DateTimeOffset now, string includeObject, string metaVersion)
    {
        var row = new JsonObject { ["cells"] = tables.Cells(resource, obj, now) };
        if (tables.Conditions(resource, obj) is { } conditions)
        {
            row["conditions"] = conditions;
        }

        switch (includeObject)
        {
            case "Object":
                row["object"] = obj;
                break;
            case "None":
                break;
            default:
                // The object was parsed for this row alone: its metadata node moves into the row instead of being copied.
                // Like upstream, rows carry no managedFields: kubectl never prints them and they are most of the bytes.
                var metadata = obj["metadata"];
                obj.Remove("metadata");
                (metadata as JsonObject)?.Remove("managedFields");
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
                    ["metadata"] = metadata,
                };
                break;
        }

        return row;
    }

    private static JsonObject PartialMetadata(JsonObject obj, string metaVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private async Task ListAsync(HttpContext context, RequestInfo request, ResourceInfo resource, ListOptions options, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var filter = new WatchFilter(request.Namespace, selectors.Compile(resource, options.LabelSelector, options.FieldSelector));
        var cache = store.CacheFor(resource);
        var listPrefix = resource.Namespaced && request.Namespace.Length > 0
            ? $"{resource.StoragePrefix}{request.Namespace}/"
            : resource.StoragePrefix;

        List<CachedObject> items;
        long revision;
        string? next = null;
        long? remaining = null;
        if (options.Continue is { } token)
        {
            var cont = ContinueToken.Decode(token);
            if (!cont.StartAfter.StartsWith(listPrefix, StringComparison.Ordinal))
            {
                throw ApiErrors.BadRequest("continue key is not valid: it does not belong to this list");
            }

            (items, revision, next, remaining) = await ListPageFromStoreAsync(resource, filter, listPrefix, cont, options.Limit, cancellationToken);
        }
        else if (options.ResourceVersionMatch == "Exact" && options.ResourceVersion is { } exact)
        {
            var rv = ListOptions.ParseResourceVersion(exact);
            (items, revision, next, remaining) = await ListPageFromStoreAsync(resource, filter, listPrefix,
                new ContinueToken(rv, listPrefix), options.Limit, cancellationToken, inclusiveStart: true);
        }
        else
        {
            await WaitForListRevisionAsync(options.ResourceVersion, cancellationToken);
            (items, revision) = cache.List(filter);
            if (options.Limit > 0 && items.Count > options.Limit)
            {
                remaining = items.Count - options.Limit;
                items = items.GetRange(0, (int)options.Limit);
                next = new ContinueToken(revision, items[^1].Key).Encode();
            }
        }

        await WriteListAsync(context, resource, format, options, items, revision, next, remaining, cancellationToken);
    }

    private async Task WaitForListRevisionAsync(string? resourceVersion, CancellationToken cancellationToken)
    {
        switch (resourceVersion)
        {
            case null:
                await store.Caches.WaitUntilFreshAsync(cancellationToken);
                break;
            case "0":
                break;
            default:
                var rv = ListOptions.ParseResourceVersion(resourceVersion);
                if (!await store.Caches.WaitForRevisionAsync(rv, TimeSpan.FromSeconds(3), cancellationToken))
                {
                    throw ApiErrors.TooLargeResourceVersion(rv, store.Caches.Revision);
                }

                break;
        }
    }

    /// <summary>Reads a page at a past revision from the store, filtering in memory until the page is full.</summary>
    private async Task<(List<CachedObject>, long, string?, long?)> ListPageFromStoreAsync(ResourceInfo resource, WatchFilter filter, string listPrefix,
        ContinueToken from, long limit, CancellationToken cancellationToken, bool inclusiveStart = false)
    {
        var items = new List<CachedObject>();
        var start = inclusiveStart ? from.StartAfter : from.StartAfter + "\0";
        var end = KeyRange.PrefixEnd(listPrefix);
        var batch = limit > 0 ? Math.Max(limit, 100) : 0;
        try
        {
            while (true)
            {
                var range = await store.RangeRawAsync(new RangeRequest(start, end, from.Revision, batch), cancellationToken);
                for (var i = 0; i < range.Kvs.Count; i++)
                {
                    var kv = range.Kvs[i];
                    if (store.Caches.Decode(resource, kv.Key, kv.Value, kv.ModRevision) is { } obj && filter.Matches(obj))
                    {
                        items.Add(obj);
                        if (limit > 0 && items.Count == limit)
                        {
                            var more = range.More || i < range.Kvs.Count - 1;
                            // The count of what remains is only known without selectors, as upstream.
                            long? remaining = filter.Predicate is null && more ? range.Count - (i + 1) : null;
                            return (items, from.Revision, more ? new ContinueToken(from.Revision, obj.Key).Encode() : null, remaining);
                        }
                    }
                }

                if (!range.More || range.Kvs.Count == 0)
                {
                    return (items, from.Revision, null, null);
                }

                start = range.Kvs[^1].Key + "\0";
            }
        }
        catch (CompactedException)
        {
            throw ApiErrors.Expired(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
        }
        catch (FutureRevisionException ex)
        {
            throw ApiErrors.TooLargeResourceVersion(ex.Requested, ex.Current);
        }
    }

    private async Task WriteListAsync(HttpContext context, ResourceInfo resource, ResponseFormat format, ListOptions options,
        List<CachedObject> items, long revision, string? next, long? remaining, CancellationToken cancellationToken)
    {
        var rvText = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (format.Yaml)
        {
            // YAML lists are rare (curl users); build the tree and convert.
            var list = new JsonObject
            {
                ["kind"] = resource.ListKind,
                ["apiVersion"] = resource.GroupVersion,
                ["metadata"] = ListMeta(rvText, next, remaining),
                ["items"] = new JsonArray(items.Select(i => JsonNode.Parse(i.Json.Span)).ToArray()),
            };
            await Responses.WriteAsync(context, 200, list, true, cancellationToken);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = Responses.JsonContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter.AsStream(leaveOpen: true));
        writer.WriteStartObject();
        switch (format.Shape)
        {
            case ResponseShape.Table:
                var now = time.GetUtcNow();
                writer.WriteString("kind", "Table");
                writer.WriteString("apiVersion", $"meta.k8s.io/{format.MetaVersion}");
                writer.WritePropertyName("metadata");
                ListMeta(rvText, next, remaining).WriteTo(writer);
                writer.WritePropertyName("columnDefinitions");
                tables.ColumnDefinitions(resource).WriteTo(writer);
                writer.WriteStartArray("rows");

                // Printing a row parses the object and runs the kind's printer: the bulk of a Table LIST. Rows are
                // built a chunk at a time on every core, then written in order.
                const int chunk = 512;
                var rows = new JsonObject[Math.Min(chunk, items.Count)];
                for (var start = 0; start < items.Count; start += chunk)
                {
                    var count = Math.Min(chunk, items.Count - start);
                    var offset = start;
                    if (count > 64)
                    {
                        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken },
                            i => rows[i] = Row(resource, (JsonObject)JsonNode.Parse(items[offset + i].Json.Span)!, now, options.IncludeObject, format.MetaVersion));
                    }
                    else
                    {
                        for (var i = 0; i < count; i++)
                        {
                            rows[i] = Row(resource, (JsonObject)JsonNode.Parse(items[offset + i].Json.Span)!, now, options.IncludeObject, format.MetaVersion);
                        }
                    }

                    for (var i = 0; i < count; i++)
                    {
                        rows[i].WriteTo(writer);
                        rows[i] = null!;
                    }

                    await writer.FlushAsync(cancellationToken);
                }

                writer.WriteEndArray();
                break;
            case ResponseShape.PartialMetadata:
                writer.WriteString("kind", "PartialObjectMetadataList");
                writer.WriteString("apiVersion", $"meta.k8s.io/{format.MetaVersion}");
                writer.WritePropertyName("metadata");
                ListMeta(rvText, next, remaining).WriteTo(writer);
                writer.WriteStartArray("items");
                foreach (var item in items)
                {
                    PartialMetadata((JsonObject)JsonNode.Parse(item.Json.Span)!, format.MetaVersion).WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteString("kind", resource.ListKind);
                writer.WriteString("apiVersion", resource.GroupVersion);
                writer.WritePropertyName("metadata");
                ListMeta(rvText, next, remaining).WriteTo(writer);
                writer.WriteStartArray("items");
                foreach (var item in items)
                {
                    writer.WriteRawValue(item.Json.Span, skipInputValidation: true);
                    if (writer.BytesPending > 32 * 1024)
                    {
                        await writer.FlushAsync(cancellationToken);
                    }
                }

                writer.WriteEndArray();
                break;
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    private static JsonObject ListMeta(string revision, string? next, long? remaining)
    {
        var meta = new JsonObject { ["resourceVersion"] = revision };
        if (next is not null)
        {
            meta["continue"] = next;
            if (remaining is { } r)
            {
                meta["remainingItemCount"] = r;
            }
        }

        return meta;
    }
}
