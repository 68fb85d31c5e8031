using System.Text;
using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// Turns a kubelet's refusal (a plain-text body with a non-2xx status) into the Status the API server answers with
/// (upstream's GenericHttpResponseChecker and NewGenericServerResponse): 400 keeps the kubelet's text as a BadRequest,
/// 500 becomes an InternalError, anything else a generic message naming the subresource and object, e.g.
/// "the server could not find the requested resource ( pods/log web)".
/// </summary>
public static class KubeletResponses
{
    /// <summary>Upstream reads at most this much of an error body.</summary>
    private const int MaxErrorBody = 50_000;

    public static async Task<ApiException> ToErrorAsync(HttpResponseMessage response, string subresource, string name, CancellationToken cancellationToken)
    {
        var body = await ReadLimitedAsync(response, cancellationToken);
        var code = (int)response.StatusCode;
        return code switch
        {
            500 => ApiErrors.Internal(body),
            400 => ApiErrors.BadRequest(body),
            _ => Generic(code, subresource, name, body),
        };
    }

    /// <summary>apimachinery's NewGenericServerResponse for a GET with no verb in the message (hence the double space).</summary>
    public static ApiException Generic(int code, string subresource, string name, string body)
    {
        var (reason, message) = code switch
        {
            409 => ("Conflict", "the server reported a conflict"),
            404 => ("NotFound", "the server could not find the requested resource"),
            400 => ("BadRequest", "the server rejected our request for an unknown reason"),
            401 => ("Unauthorized", "the server has asked for the client to provide credentials"),
            403 => ("Forbidden", body),
            406 => ("NotAcceptable", body.Length == 0 || body == "unknown" ? "the server was unable to respond with a content type that the client supports" : body),
            415 => ("UnsupportedMediaType", body),
            405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
            422 => ("Invalid", "the server rejected our request due to an error in our request"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
            429 => ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
            >= 500 => ("InternalError", $"an error on the server ({GoQuote(body)}) has prevented the request from succeeding"),
            _ => ("", $"the server responded with the status code {code} but did not return more information"),
        };
        return new ApiException(code, reason, $"{message} ( {subresource} {name})", name, "", subresource);
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxErrorBody];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Go's %q of a string: double quotes with backslash escapes.</summary>
    private static string GoQuote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
