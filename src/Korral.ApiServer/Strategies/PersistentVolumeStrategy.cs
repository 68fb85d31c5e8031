using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>PersistentVolumes: a new volume is Pending until the PV controller makes it Available or Bound.</summary>
public sealed class PersistentVolumeStrategy(ResourceInfo resource) : DefaultStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        base.PrepareForCreate(obj, context);
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
    }
}
