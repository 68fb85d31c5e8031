using System.Text.Json.Nodes;
using Korral.Api.Resources;

namespace Korral.ApiServer.Http;

/// <summary>Applies a PATCH body of one of the Kubernetes patch types to the current object.</summary>
public interface IPatcher
{
    /// <summary>The Content-Types accepted for PATCH.</summary>
    IReadOnlyList<string> SupportedTypes { get; }

    /// <summary>
    /// Returns the patched object. <paramref name="current"/> is null for a server-side apply to a missing object.
    /// Throws an ApiException (400/409/422) when the patch cannot be applied.
    /// </summary>
    JsonObject Apply(ResourceInfo resource, JsonObject? current, string patchType, byte[] patch, PatchContext context);
}

/// <summary>What a patch needs beyond the bodies: field manager and force (server-side apply), the time.</summary>
public sealed record PatchContext(string? FieldManager, bool Force, DateTimeOffset Now, string Subresource = "");
