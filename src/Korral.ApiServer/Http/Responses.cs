using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Yaml;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Serialization;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

/// <summary>Writes objects, raw JSON and Status errors in the negotiated format.</summary>
public static class Responses
{
    public const string JsonContentType = "application/json";
    public const string YamlContentType = "application/yaml";

    public static Task WriteAsync(HttpContext context, int code, JsonNode node, bool yaml, CancellationToken cancellationToken)
    {
        var bytes = yaml ? Encoding.UTF8.GetBytes(YamlJson.Serialize(node)) : JsonSerializer.SerializeToUtf8Bytes(node);
        return WriteBytesAsync(context, code, bytes, yaml ? YamlContentType : JsonContentType, cancellationToken);
    }

    public static Task WriteJsonBytesAsync(HttpContext context, int code, ReadOnlyMemory<byte> json, bool yaml, CancellationToken cancellationToken)
    {
        if (yaml)
        {
            return WriteAsync(context, code, JsonNode.Parse(json.Span)!, true, cancellationToken);
        }

        return WriteBytesAsync(context, code, json, JsonContentType, cancellationToken);
    }

    public static async Task WriteBytesAsync(HttpContext context, int code, ReadOnlyMemory<byte> bytes, string contentType, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, cancellationToken);
        }
    }

    public static Task WriteStatusAsync(HttpContext context, ApiException error, CancellationToken cancellationToken)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, error.Code, error.ToStatus(), false, cancellationToken);
    }

    /// <summary>A Status reply for a successful delete of an object that is gone at once.</summary>
    public static JsonObject SuccessStatus(string name, string group, string kind, string uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = group.Length == 0
            ? new JsonObject { ["name"] = name, ["kind"] = kind, ["uid"] = uid }
            : new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind, ["uid"] = uid },
    };

    /// <summary>Adds "Warning: 299 - ..." headers, which kubectl prints as "Warning: ...".</summary>
    public static void AddWarnings(HttpContext context, IEnumerable<string> warnings)
    {
        foreach (var w in warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - {JsonSerializer.Serialize(w)}");
        }
    }

    public static ResponseFormat Negotiate(HttpContext context) =>
        ResponseFormat.Negotiate(context.Request.Headers.Accept.ToString()) ?? throw ApiErrors.NotAcceptable(context.Request.Headers.Accept.ToString());
}
