using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.Api.Yaml;
using Korral.ApiServer.Errors;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Core;

namespace Korral.ApiServer.Serialization;

/// <summary>Reads request bodies in JSON, YAML or the Kubernetes protobuf envelope into JSON trees.</summary>
public sealed class BodyReader(Func<ReadOnlyMemory<byte>, JsonObject>? protobufDecoder)
{
    /// <summary>Upstream's limit on request bodies (3 MiB).</summary>
    public const int MaxRequestBytes = 3 * 1024 * 1024;

    public const string ProtobufContentType = "application/vnd.kubernetes.protobuf";

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiException TooLarge() => ApiErrors.RequestEntityTooLarge($"Request entity too large: limit is {MaxRequestBytes}");

    /// <summary>Reads an object body for a create or update of <paramref name="resource"/> (or a subresource kind).</summary>
    public async Task<JsonObject> ReadObjectAsync(HttpRequest request, ResourceInfo resource, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, cancellationToken);
        return Decode(bytes, request.ContentType, resource.Kind);
    }

    public JsonObject Decode(byte[] bytes, string? contentType, string expectedKind)
    {
        var media = MediaType.Parse(contentType ?? "application/json");
        JsonNode? node;
        try
        {
            node = media.Type switch
            {
                "application/json" or "" or "*/*" => JsonNode.Parse(bytes),
                "application/yaml" or "application/x-yaml" or "text/yaml" => YamlJson.Parse(Encoding.UTF8.GetString(bytes)),
                ProtobufContentType when protobufDecoder is not null => protobufDecoder(bytes),
                _ => throw ApiErrors.UnsupportedMediaType(media.Type),
            };
        }
        catch (JsonException ex)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): couldn't get version/kind; json parse error: {ex.Message}");
        }
        catch (YamlException ex)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): yaml: {ex.Message}");
        }
        catch (Exception ex) when (ex is not ApiException && media.Type is "application/yaml" or "application/x-yaml" or "text/yaml")
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): yaml: {ex.Message}");
        }
        catch (Korral.Api.Protobuf.ProtobufUnsupportedKindException ex)
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - {ex.Message}; accepted media types include: application/json, application/yaml");
        }
        catch (Exception ex) when (ex is not ApiException && media.Type == ProtobufContentType)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): protobuf: {ex.Message}");
        }

        if (node is not JsonObject obj)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): couldn't get version/kind; json parse error: expected a JSON object");
        }

        return obj;
    }

    /// <summary>Checks a body's apiVersion and kind against what the URL addresses, as upstream's decoder does.</summary>
    public static void CheckTypeMeta(JsonObject obj, string expectedApiVersion, string expectedKind, IEnumerable<string>? alsoAccepted = null)
    {
        var apiVersion = obj["apiVersion"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : "";
        var kind = obj["kind"] is JsonValue kv && kv.TryGetValue<string>(out var k) ? k : "";
        if (kind.Length > 0 && kind != expectedKind)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): {kind} in version \"{apiVersion}\" cannot be handled as a {expectedKind}");
        }

        if (apiVersion.Length > 0 && apiVersion != expectedApiVersion && !(alsoAccepted?.Contains(apiVersion) ?? false))
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expectedApiVersion})");
        }
    }
}
