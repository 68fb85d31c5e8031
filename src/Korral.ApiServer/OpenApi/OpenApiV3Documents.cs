using System.Globalization;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.OpenApi;

/// <summary>
/// The /openapi/v3 index and one document per served group version, generated from the resource catalog and the
/// schema catalog on first use, then kept (they are large). Immutable and thread-safe; build a new instance when
/// the served resources change.
/// </summary>
/// <remarks>
/// Caching follows upstream: the index links each document with <c>?hash=&lt;content hash&gt;</c>; a request with the
/// current hash gets <c>Cache-Control: public, immutable</c> and a one-year Expires, a stale hash a 301 to the
/// current URL, and every answer an ETag (compare If-None-Match with <see cref="DocumentResponse.IsNotModified"/>).
/// </remarks>
public sealed class OpenApiV3Documents
{
    private const string Prefix = "openapi/v3";

    private static readonly KeyValuePair<string, string> VaryAccept = new("Vary", "Accept");

    private readonly OpenApiV3Options _options;
    private readonly Lazy<Built> _built;

    public OpenApiV3Documents(IResourceCatalog resources, ISchemaCatalog schemas, OpenApiV3Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(schemas);
        _options = options ?? new OpenApiV3Options();
        Paths = resources.Groups
            .SelectMany(g => g.Versions.Select(v => OpenApiV3Builder.DocumentPath(g.Name, v)))
            .ToArray();
        _built = new Lazy<Built>(() => Build(resources, schemas, _options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The document paths, "api/v1", "apis/apps/v1"…, in discovery order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>GET /openapi/v3: <c>{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}</c>.</summary>
    public DocumentResponse Index => _built.Value.Index;

    /// <summary>The document of a path such as "apis/apps/v1" (no leading slash, no query), or null.</summary>
    public OpenApiV3Document? Find(string path) =>
        _built.Value.Documents.GetValueOrDefault(path.Trim('/'));

    /// <summary>The document of a group version, or null when it is not served.</summary>
    public OpenApiV3Document? Find(string group, string version) => Find(OpenApiV3Builder.DocumentPath(group, version));

    /// <summary>
    /// Answers <c>/openapi/v3</c> and <c>/openapi/v3/{api/v1|apis/g/v}</c>. <paramref name="hash"/> is the <c>hash</c>
    /// query parameter (null when absent). Returns null for paths that are not OpenAPI v3 documents (answer 404),
    /// 406 when the client accepts no JSON, 301 (Location header) for a stale hash.
    /// </summary>
    public DocumentResponse? Resolve(string path, string? hash, string? accept)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Trim('/');
        if (trimmed == Prefix)
        {
            return Index;
        }

        if (!trimmed.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var document = Find(trimmed[(Prefix.Length + 1)..]);
        if (document is null)
        {
            return null;
        }

        if (!AcceptsJson(accept))
        {
            return new DocumentResponse { StatusCode = 406, Headers = [VaryAccept] };
        }

        if (!string.IsNullOrEmpty(hash) && hash != document.Hash)
        {
            return new DocumentResponse
            {
                StatusCode = 301,
                Headers = [new("Location", document.ServerRelativeUrl)],
            };
        }

        var response = new DocumentResponse
        {
            StatusCode = 200,
            ContentType = OpenApiContentTypes.Json,
            Body = document.Body,
            ETag = ContentHash.QuotedETag(document.Hash),
            Headers = [VaryAccept],
        };
        if (string.IsNullOrEmpty(hash))
        {
            return response;
        }

        var expires = _options.Time.GetUtcNow().AddYears(1).ToString("r", CultureInfo.InvariantCulture);
        return response with
        {
            Headers = [VaryAccept, new("Cache-Control", "public, immutable"), new("Expires", expires)],
        };
    }

    private static bool AcceptsJson(string? accept) =>
        MediaRange.ParseAccept(accept).Any(r => r.Covers("application", "json"));

    private static Built Build(IResourceCatalog resources, ISchemaCatalog schemas, OpenApiV3Options options)
    {
        var documents = new Dictionary<string, OpenApiV3Document>(StringComparer.Ordinal);
        var mapTypes = OpenApiV3Builder.DefinitionMapTypes(schemas);
        foreach (var group in resources.Groups)
        {
            foreach (var version in group.Versions)
            {
                var body = OpenApiV3Builder.Build(
                    group.Name, version, resources.ForGroupVersion(group.Name, version), schemas, mapTypes, options);
                var path = OpenApiV3Builder.DocumentPath(group.Name, version);
                documents[path] = new OpenApiV3Document
                {
                    Path = path,
                    Group = group.Name,
                    Version = version,
                    Body = body,
                    Hash = ContentHash.Of(body),
                };
            }
        }

        var index = DiscoveryJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("paths");
            foreach (var document in documents.Values.OrderBy(d => d.Path, StringComparer.Ordinal))
            {
                w.WriteStartObject(document.Path);
                w.WriteString("serverRelativeURL", document.ServerRelativeUrl);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

        var indexResponse = new DocumentResponse
        {
            StatusCode = 200,
            ContentType = OpenApiContentTypes.Json,
            Body = index,
            ETag = ContentHash.QuotedETag(ContentHash.Of(index)),
        };
        return new Built(documents, indexResponse);
    }

    private sealed record Built(IReadOnlyDictionary<string, OpenApiV3Document> Documents, DocumentResponse Index);
}
