using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>The error body of the distribution API: {"errors":[{"code":…,"message":…,"detail":…}]}, codes as the spec names them.</summary>
internal static class DistributionError
{
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string BlobUnknown = "BLOB_UNKNOWN";
    public const string NameUnknown = "NAME_UNKNOWN";
    public const string NameInvalid = "NAME_INVALID";
    public const string DigestInvalid = "DIGEST_INVALID";
    public const string Unsupported = "UNSUPPORTED";

    public static async Task WriteAsync(HttpContext context, int status, string code, object? detail)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var body = JsonSerializer.SerializeToUtf8Bytes(new { errors = new[] { new { code, message = MessageOf(code), detail } } });
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static string MessageOf(string code) => code switch
    {
        ManifestUnknown => "manifest unknown",
        BlobUnknown => "blob unknown to registry",
        NameUnknown => "repository name not known to registry",
        NameInvalid => "invalid repository name",
        DigestInvalid => "provided digest did not match uploaded content",
        _ => "The operation is unsupported.",
    };
}
