using System.Text.Json.Serialization;
using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;
using Korral.Client;

namespace Korral.Controllers.GarbageCollector;

/// <summary>
/// Any object of any resource, read for its metadata only (upstream's PartialObjectMetadata): what the garbage
/// collector and the namespace controller need to follow ownerReferences and delete, whatever the kind. The rest of
/// the object is dropped when read, so caches of every resource stay small.
/// </summary>
/// <remarks>
/// The untyped client is <c>client.Resource&lt;PartialObject&gt;(resourceInfo)</c>: the typed <see cref="ResourceClient{T}"/>
/// over any resource of the catalog. Writes go through JSON patches (never a PUT of this partial object).
/// </remarks>
public sealed class PartialObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    /// <summary>The untyped client of <paramref name="resource"/>.</summary>
    public static ResourceClient<PartialObject> Client(KubeClient client, ResourceInfo resource) => client.Resource<PartialObject>(resource);
}
