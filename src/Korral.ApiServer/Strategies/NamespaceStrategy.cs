using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>
/// Namespaces: Active on create with the "kubernetes" finalizer; a delete marks them Terminating and they stay until the
/// namespace controller has emptied them and cleared spec.finalizers through the finalize subresource.
/// </summary>
public sealed class NamespaceStrategy(ResourceInfo resource) : DefaultStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        base.PrepareForCreate(obj, context);
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        spec["finalizers"] = new JsonArray("kubernetes");
        LabelWithName(obj);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, WriteContext context)
    {
        base.PrepareForUpdate(obj, old, context);
        LabelWithName(obj);

        // spec.finalizers change only through the finalize subresource.
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        spec.Remove("finalizers");
        if (old["spec"]?["finalizers"] is { } finalizers)
        {
            spec["finalizers"] = finalizers.DeepClone();
        }
    }

    /// <summary>Every namespace carries kubernetes.io/metadata.name with its own name, so selectors can pick namespaces by name.</summary>
    private static void LabelWithName(JsonObject obj)
    {
        var meta = Meta.Of(obj);
        var labels = meta["labels"] as JsonObject ?? new JsonObject();
        meta["labels"] = labels;
        labels["kubernetes.io/metadata.name"] = Meta.Str(meta, "name");
    }

    public override long? GracefulDeletionSeconds(JsonObject obj, DeleteOptions options) =>
        obj["spec"]?["finalizers"] is JsonArray { Count: > 0 } ? 0 : null;

    public override void PrepareForDelete(JsonObject obj) =>
        obj["status"] = new JsonObject { ["phase"] = "Terminating" };

    public override bool ReadyToDelete(JsonObject obj) =>
        base.ReadyToDelete(obj) && obj["spec"]?["finalizers"] is not JsonArray { Count: > 0 };
}
