using Korral.Api.Resources;

namespace Korral.ApiServer.Discovery;

/// <summary>
/// The discovery answers of one resource catalog, computed once at construction: /api and /apis in legacy and
/// aggregated (v2, v2beta1) form, /apis/{group} and the APIResourceList of every served group version.
/// Build a new instance when the served resources change (custom resources); instances are immutable and thread-safe.
/// </summary>
/// <remarks>
/// Upstream serves aggregated discovery only on /api and /apis; the per-version lists are always legacy JSON.
/// Every 200 answer carries an ETag (content hash) and <c>Vary: Accept</c>.
/// </remarks>
public sealed class DiscoveryDocuments
{
    private static readonly KeyValuePair<string, string>[] VaryAccept = [new("Vary", "Accept")];

    private readonly DocumentResponse[] _api = new DocumentResponse[3];
    private readonly DocumentResponse[] _apis = new DocumentResponse[3];
    private readonly Dictionary<string, DocumentResponse> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Version), DocumentResponse> _resourceLists = new();

    public DiscoveryDocuments(IResourceCatalog catalog, DiscoveryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new DiscoveryOptions();

        var core = catalog.Groups.Where(g => g.IsCore).ToArray();
        var named = catalog.Groups.Where(g => !g.IsCore).ToArray();

        _api[(int)DiscoveryFormat.Legacy] = Ok(
            DiscoveryJson.ApiVersions(core.SelectMany(g => g.Versions), options.ServerAddress), DiscoveryFormat.Legacy);
        _apis[(int)DiscoveryFormat.Legacy] = Ok(DiscoveryJson.ApiGroupList(named), DiscoveryFormat.Legacy);
        foreach (var format in (DiscoveryFormat[])[DiscoveryFormat.AggregatedV2, DiscoveryFormat.AggregatedV2Beta1])
        {
            _api[(int)format] = Ok(DiscoveryJson.Aggregated(format, core, catalog), format);
            _apis[(int)format] = Ok(DiscoveryJson.Aggregated(format, named, catalog), format);
        }

        foreach (var group in catalog.Groups)
        {
            if (!group.IsCore)
            {
                _groups[group.Name] = Ok(DiscoveryJson.ApiGroup(group), DiscoveryFormat.Legacy);
            }

            foreach (var version in group.Versions)
            {
                var body = DiscoveryJson.ResourceList(group.GroupVersion(version), catalog.ForGroupVersion(group.Name, version));
                _resourceLists[(group.Name, version)] = Ok(body, DiscoveryFormat.Legacy);
            }
        }
    }

    /// <summary>GET /api: APIVersions, or the aggregated list whose single item (name "") is the core group.</summary>
    public DocumentResponse Api(DiscoveryFormat format) => Pick(_api, format);

    /// <summary>GET /apis: APIGroupList, or the aggregated list with one item per group.</summary>
    public DocumentResponse Apis(DiscoveryFormat format) => Pick(_apis, format);

    /// <summary>GET /apis/{group}: APIGroup, or null when the group is not served.</summary>
    public DocumentResponse? Group(string group) => _groups.GetValueOrDefault(group);

    /// <summary>GET /api/v1 (group "") or /apis/{group}/{version}: APIResourceList, or null when not served.</summary>
    public DocumentResponse? ResourceList(string group, string version) =>
        _resourceLists.GetValueOrDefault((group, version));

    /// <summary>
    /// Answers any discovery path: <c>/api</c>, <c>/apis</c>, <c>/api/{version}</c>, <c>/apis/{group}</c>,
    /// <c>/apis/{group}/{version}</c> (a trailing slash is tolerated; pass the path without the query string).
    /// Returns null when the path is not a discovery path or names an unserved group or version (answer 404),
    /// and a 406 response when the Accept header admits no format /api or /apis can send.
    /// </summary>
    public DocumentResponse? Resolve(string path, string? accept)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Trim('/').Split('/');
        return segments switch
        {
            ["api"] => Api(DiscoveryNegotiation.Negotiate(accept)),
            ["apis"] => Apis(DiscoveryNegotiation.Negotiate(accept)),
            ["api", var version] => ResourceList("", version),
            ["apis", var group] => Group(group),
            ["apis", var group, var version] => ResourceList(group, version),
            _ => null,
        };
    }

    private static DocumentResponse Pick(DocumentResponse[] responses, DiscoveryFormat format) =>
        format == DiscoveryFormat.NotAcceptable
            ? DocumentResponse.Status(406) with { Headers = VaryAccept }
            : responses[(int)format];

    private static DocumentResponse Ok(byte[] body, DiscoveryFormat format) => new()
    {
        StatusCode = 200,
        ContentType = DiscoveryNegotiation.ContentType(format),
        Body = body,
        ETag = ContentHash.QuotedETag(ContentHash.Of(body)),
        Headers = VaryAccept,
    };
}
