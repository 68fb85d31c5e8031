using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Resources;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>
/// PersistentVolumeClaims: a new claim is Pending, and the DefaultStorageClass admission step gives one without a class
/// the cluster's default one.
/// </summary>
public sealed class PersistentVolumeClaimStrategy(ResourceInfo resource, Func<string?> defaultStorageClass) : DefaultStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        base.PrepareForCreate(obj, context);
        ClaimAdmission.ApplyDefaultStorageClass(obj, defaultStorageClass());
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
    }
}
