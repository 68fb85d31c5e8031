using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>
/// The read-only part of the distribution API v2 over an <see cref="ImageStore"/>: /v2/, manifests and blobs by
/// HEAD/GET, and tags/list. Every request reads the store's index afresh, so images loaded while running are served
/// at once. Repository names are made full the way containerd asks a mirror: its ?ns= query names the registry the
/// image is really from (docker.io, registry.k8s.io); without it the registry is the one addressed (the Host header).
/// </summary>
internal sealed class RegistryRequestHandler(ImageStore store, Action<string> log)
{
    private const string ApiVersionHeader = "Docker-Distribution-API-Version";
    private const string ContentDigestHeader = "Docker-Content-Digest";
    private const int CopyBufferBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path != "/v2" && !path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.Headers[ApiVersionHeader] = "registry/2.0";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await DistributionError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, DistributionError.Unsupported, null);
            return;
        }

        var rest = path.Length <= "/v2/".Length ? "" : path["/v2/".Length..];
        if (rest.Length == 0)
        {
            await WriteJsonAsync(context, "{}"u8.ToArray());
            return;
        }

        if (Split(rest, "/manifests/") is var (manifestName, reference))
        {
            await ServeManifestAsync(context, manifestName, reference);
        }
        else if (Split(rest, "/blobs/") is var (blobName, digest))
        {
            await ServeBlobAsync(context, blobName, digest);
        }
        else if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            await ServeTagsAsync(context, rest[..^"/tags/list".Length]);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task ServeManifestAsync(HttpContext context, string name, string tagOrDigest)
    {
        if (Repository(context, name) is not { } repository)
        {
            await DistributionError.WriteAsync(context, StatusCodes.Status400BadRequest, DistributionError.NameInvalid, new { name });
            return;
        }

        if (!ImageReference.TryParse(repository, tagOrDigest, out var reference, out _))
        {
            var digest = tagOrDigest.Contains(':', StringComparison.Ordinal);
            await DistributionError.WriteAsync(context, digest ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound,
                digest ? DistributionError.DigestInvalid : DistributionError.ManifestUnknown, new { name, reference = tagOrDigest });
            return;
        }

        if (!store.HasRepository(repository))
        {
            log($"registry mirror: no image of {repository} (asked for {reference})");
            await DistributionError.WriteAsync(context, StatusCodes.Status404NotFound, DistributionError.NameUnknown, new { name });
            return;
        }

        var manifest = await store.GetManifestAsync(reference, context.RequestAborted);
        if (manifest is null)
        {
            log($"registry mirror: no manifest {reference}");
            await DistributionError.WriteAsync(context, StatusCodes.Status404NotFound, DistributionError.ManifestUnknown, new { name, reference = tagOrDigest });
            return;
        }

        var response = context.Response;
        response.ContentType = manifest.MediaType;
        response.ContentLength = manifest.Content.Length;
        response.Headers[ContentDigestHeader] = manifest.Digest;
        response.Headers.ETag = $"\"{manifest.Digest}\"";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(manifest.Content, context.RequestAborted);
        }
    }

    private async Task ServeBlobAsync(HttpContext context, string name, string digest)
    {
        if (Repository(context, name) is not { } repository)
        {
            await DistributionError.WriteAsync(context, StatusCodes.Status400BadRequest, DistributionError.NameInvalid, new { name });
            return;
        }

        if (!ContentDigest.IsValid(digest))
        {
            await DistributionError.WriteAsync(context, StatusCodes.Status400BadRequest, DistributionError.DigestInvalid, new { name, digest });
            return;
        }

        if (!store.HasRepository(repository))
        {
            await DistributionError.WriteAsync(context, StatusCodes.Status404NotFound, DistributionError.NameUnknown, new { name });
            return;
        }

        await using var blob = store.OpenBlob(digest);
        if (blob is null)
        {
            log($"registry mirror: no blob {digest} (for {repository})");
            await DistributionError.WriteAsync(context, StatusCodes.Status404NotFound, DistributionError.BlobUnknown, new { name, digest });
            return;
        }

        var response = context.Response;
        var length = blob.Length;
        response.ContentType = "application/octet-stream";
        response.Headers[ContentDigestHeader] = digest;
        response.Headers.ETag = $"\"{digest}\"";
        response.Headers.AcceptRanges = "bytes";
        long start = 0, count = length;
        if (ByteRange.TryParse(context.Request.Headers.Range, length, out var range))
        {
            if (range is not { } r)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length}";
                return;
            }

            (start, count) = r;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{start + count - 1}/{length}";
        }

        response.ContentLength = count;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        blob.Seek(start, SeekOrigin.Begin);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            while (count > 0)
            {
                var read = await blob.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferBytes, count)), context.RequestAborted);
                if (read == 0)
                {
                    throw new IOException($"blob {digest} ended {count} bytes early");
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ServeTagsAsync(HttpContext context, string name)
    {
        if (Repository(context, name) is not { } repository || !store.HasRepository(repository))
        {
            await DistributionError.WriteAsync(context, StatusCodes.Status404NotFound, DistributionError.NameUnknown, new { name });
            return;
        }

        var tags = store.ListImages().Where(i => i.Reference.Repository == repository).Select(i => i.Reference.Tag!)
            .Distinct().Order(StringComparer.Ordinal).ToList();
        await WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(new { name, tags }));
    }

    /// <summary>The full repository name (docker.io/library/nginx) a request path's name means, or null when it is not valid.</summary>
    private static string? Repository(HttpContext context, string name)
    {
        var registry = context.Request.Query["ns"].LastOrDefault() is { Length: > 0 } ns ? ns : context.Request.Host.Value;
        return ImageReference.TryParse($"{registry}/{name}", "latest", out var reference, out _) ? reference.Repository : null;
    }

    /// <summary>"library/nginx/manifests/latest" split at the last "/manifests/" (a name may itself hold "manifests").</summary>
    private static (string Name, string Reference)? Split(string rest, string marker)
    {
        var at = rest.LastIndexOf(marker, StringComparison.Ordinal);
        return at <= 0 || at + marker.Length >= rest.Length || rest.IndexOf('/', at + marker.Length) >= 0
            ? null
            : (rest[..at], rest[(at + marker.Length)..]);
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
