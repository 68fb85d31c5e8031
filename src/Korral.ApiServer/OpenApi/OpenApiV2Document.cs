using System.Text;
using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.OpenApi;

/// <summary>
/// GET /openapi/v2. Korral serves an empty v2 document: to kubectl 1.27/1.28 an empty protobuf document means
/// "the server validates fields itself" (no client-side validation, compiled-in types for apply patches), and newer
/// kubectl versions use /openapi/v3. A client that prefers application/json gets an empty swagger 2.0 JSON document.
/// </summary>
public static class OpenApiV2Document
{
    private static readonly KeyValuePair<string, string>[] VaryAccept = [new("Vary", "Accept")];

    /// <summary>The JSON form: a valid, empty swagger 2.0 document.</summary>
    public static readonly byte[] JsonBody = Encoding.UTF8.GetBytes(
        "{\"swagger\":\"2.0\",\"info\":{\"title\":\"Kubernetes\",\"version\":\"" + VersionInfo.KubernetesVersion
        + "\"},\"paths\":{},\"definitions\":{}}");

    private static readonly DocumentResponse Protobuf = new()
    {
        StatusCode = 200,
        ContentType = OpenApiContentTypes.V2Protobuf,
        Body = [],
        ETag = ContentHash.QuotedETag(ContentHash.Of([])),
        Headers = VaryAccept,
    };

    private static readonly DocumentResponse Json = new()
    {
        StatusCode = 200,
        ContentType = OpenApiContentTypes.Json,
        Body = JsonBody,
        ETag = ContentHash.QuotedETag(ContentHash.Of(JsonBody)),
        Headers = VaryAccept,
    };

    /// <summary>
    /// JSON when the client's most preferred acceptable type is application/json itself; otherwise (protobuf,
    /// wildcards, anything else, no Accept) the empty protobuf document. Never 406.
    /// </summary>
    public static DocumentResponse Resolve(string? accept)
    {
        foreach (var range in MediaRange.ParseAccept(accept))
        {
            if (range.Type == "application" && range.SubType == "json")
            {
                return Json;
            }

            if (range.SubType.Contains("protobuf", StringComparison.Ordinal) || range.IsWildcard)
            {
                return Protobuf;
            }
        }

        return Protobuf;
    }
}
