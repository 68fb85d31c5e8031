using System.Text.Json;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.OpenApi;

/// <summary>
/// Builds the OpenAPI v3 document of one group version: the REST paths of its resources and subresources, and every
/// schema those operations reach. The shape follows upstream's documents closely enough for kubectl: it finds
/// operations by <c>x-kubernetes-group-version-kind</c>, checks the <c>fieldValidation</c> parameter of patch
/// operations, computes strategic merge patches from the schemas' patch extensions and explains fields.
/// No descriptions are written.
/// </summary>
internal sealed partial class OpenApiV3Builder
{
    private readonly string _group;
    private readonly string _version;
    private readonly IReadOnlyList<ResourceInfo> _resources;
    private readonly ISchemaCatalog _schemas;
    private readonly OpenApiV3Options _options;
    private readonly IReadOnlyDictionary<string, string> _mapTypes;
    private readonly SortedDictionary<string, PathItem> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceInfo> _syntheticLists = new(StringComparer.Ordinal);
    private readonly string _groupId;
    private readonly string _versionId;
    private readonly string _tag;

    private OpenApiV3Builder(
        string group,
        string version,
        IReadOnlyList<ResourceInfo> resources,
        ISchemaCatalog schemas,
        IReadOnlyDictionary<string, string> mapTypes,
        OpenApiV3Options options)
    {
        _group = group;
        _mapTypes = mapTypes;
        _version = version;
        _resources = resources;
        _schemas = schemas;
        _options = options;
        _groupId = GroupIdentifier(group);
        _versionId = char.ToUpperInvariant(version[0]) + version[1..];
        _tag = char.ToLowerInvariant(_groupId[0]) + _groupId[1..] + "_" + version;
    }

    /// <summary>"api/v1" for the core group, "apis/{group}/{version}" otherwise: the key in the /openapi/v3 index.</summary>
    public static string DocumentPath(string group, string version) =>
        group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    /// <param name="mapTypes">From <see cref="DefinitionMapTypes"/> over the same schema catalog.</param>
    public static byte[] Build(
        string group,
        string version,
        IReadOnlyList<ResourceInfo> resources,
        ISchemaCatalog schemas,
        IReadOnlyDictionary<string, string> mapTypes,
        OpenApiV3Options options)
    {
        var builder = new OpenApiV3Builder(group, version, resources, schemas, mapTypes, options);
        foreach (var resource in resources)
        {
            builder.AddResource(resource);
        }

        builder._roots.Add(WellKnownSchemas.DeleteOptions);
        builder._roots.Add(WellKnownSchemas.Status);
        builder._roots.Add(WellKnownSchemas.Patch);
        return DiscoveryJson.Write(builder.Write);
    }

    private void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("openapi", "3.0.0");
        w.WriteStartObject("info");
        w.WriteString("title", _options.Title);
        w.WriteString("version", _options.Version);
        w.WriteEndObject();
        WritePaths(w);
        w.WriteStartObject("components");
        WriteSchemas(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>"apps" → "Apps", "rbac.authorization.k8s.io" → "RbacAuthorization", "" → "Core" (upstream's operation ids).</summary>
    internal static string GroupIdentifier(string group)
    {
        if (group.Length == 0)
        {
            return "Core";
        }

        var trimmed = group.EndsWith(".k8s.io", StringComparison.Ordinal) ? group[..^".k8s.io".Length] : group;
        return string.Concat(trimmed.Split('.', '-').Where(p => p.Length > 0).Select(Pascal));
    }

    internal static string Pascal(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
