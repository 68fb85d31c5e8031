using System.Text;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Server;

/// <summary>The kubelet answers errors as plain text (go-restful's WriteErrorString), not as Status objects.</summary>
internal static class KubeletText
{
    public static async Task WriteAsync(HttpContext context, int status, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
