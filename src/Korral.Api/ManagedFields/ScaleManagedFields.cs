using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// Carries ownership of the replica count between a resource and its <c>scale</c> subresource, as upstream's scale
/// handler does: the Scale shows the parent's owners of the replicas path as owners of <c>.spec.replicas</c>, and a
/// write through the Scale hands the parent's replicas path to the scale managers.
/// </summary>
public static class ScaleManagedFields
{
    /// <summary>The Scale's own apiVersion.</summary>
    public const string ScaleApiVersion = "autoscaling/v1";

    private static readonly FieldSetPath ReplicasInScale = FieldSetPath.Fields("spec", "replicas");

    /// <summary>
    /// The managedFields to show on the Scale built from a parent: every parent entry (at the parent's apiVersion)
    /// that owns <paramref name="replicasPath"/>, reduced to <c>.spec.replicas</c> at autoscaling/v1.
    /// </summary>
    public static JsonArray? ToSubresource(JsonNode? parentManagedFields, string parentApiVersion, FieldSetPath replicasPath)
    {
        var parent = ManagedFieldsCodec.DecodeMap(parentManagedFields);
        var result = new List<ManagedFieldsEntry>();
        foreach (var entry in parent.Values)
        {
            if (entry.ApiVersion == parentApiVersion && entry.Fields.Has(replicasPath))
            {
                result.Add(entry with { ApiVersion = ScaleApiVersion, Fields = FieldSet.FromPaths(ReplicasInScale) });
            }
        }

        return ManagedFieldsCodec.Encode(result);
    }

    /// <summary>
    /// The parent's managedFields after a write through the Scale: parent entries at other apiVersions are dropped;
    /// parent entries that owned the replicas path but are no longer scale managers lose it; entries of managers that
    /// still own <c>.spec.replicas</c> on the Scale are kept as they were; new scale managers get the replicas path
    /// at the parent's apiVersion (with the parent's time for them, which is none for a new one, as upstream).
    /// </summary>
    public static JsonArray? ToParent(JsonNode? parentManagedFields, JsonNode? scaleManagedFields, string parentApiVersion,
        FieldSetPath replicasPath)
    {
        var parent = ManagedFieldsCodec.DecodeMap(parentManagedFields);
        var scale = ManagedFieldsCodec.DecodeMap(scaleManagedFields);
        var result = new List<ManagedFieldsEntry>();
        foreach (var (key, entry) in parent)
        {
            if (entry.ApiVersion != parentApiVersion)
            {
                continue;
            }

            if (!entry.Fields.Has(replicasPath))
            {
                result.Add(entry);
                continue;
            }

            if (scale.Remove(ScaleKeyOf(key)))
            {
                result.Add(entry);
                continue;
            }

            var rest = entry.Fields.Difference(FieldSet.FromPaths(replicasPath));
            if (!rest.IsEmpty)
            {
                result.Add(entry with { Fields = rest });
            }
        }

        foreach (var (key, entry) in scale)
        {
            if (!entry.Fields.Has(ReplicasInScale))
            {
                continue;
            }

            var parentKey = key with { ApiVersion = entry.IsApply ? "" : parentApiVersion };
            result.Add(entry with
            {
                ApiVersion = parentApiVersion,
                Fields = FieldSet.FromPaths(replicasPath),
                Time = parent.TryGetValue(parentKey, out var p) ? p.Time : null,
            });
        }

        return ManagedFieldsCodec.Encode(result);
    }

    // Upstream keys entries by manager, operation, subresource and (for updates) apiVersion; the Scale's entries
    // carry autoscaling/v1 where the parent's carry the parent's version.
    private static ManagerKey ScaleKeyOf(ManagerKey parentKey) =>
        parentKey.ApiVersion.Length == 0 ? parentKey : parentKey with { ApiVersion = ScaleApiVersion };
}
