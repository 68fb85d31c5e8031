using Korral.Api.Models.MetaV1;

namespace Korral.Controllers.Common;

/// <summary>Controller references (metadata.ownerReferences with controller: true).</summary>
public static class OwnerRefs
{
    /// <summary>The owner reference that marks <paramref name="meta"/>'s managing controller, or null.</summary>
    public static OwnerReference? ControllerOf(ObjectMeta? meta) =>
        meta?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    /// <summary>A controller reference to an owner (controller: true, blockOwnerDeletion: true).</summary>
    public static OwnerReference NewControllerRef(ObjectMeta owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>The strategic merge patch that adds <paramref name="ownerRef"/> (merged by uid) and pins the object's uid.</summary>
    public static string AdoptPatch(OwnerReference ownerRef, string? uid) =>
        $$$"""{"metadata":{"ownerReferences":[{"apiVersion":{{{Json(ownerRef.ApiVersion)}}},"kind":{{{Json(ownerRef.Kind)}}},"name":{{{Json(ownerRef.Name)}}},"uid":{{{Json(ownerRef.Uid)}}},"controller":true,"blockOwnerDeletion":true}],"uid":{{{Json(uid)}}}}}""";

    /// <summary>The strategic merge patch that removes the owner reference with <paramref name="ownerUid"/>.</summary>
    public static string ReleasePatch(string ownerUid, string? uid) =>
        $$$"""{"metadata":{"ownerReferences":[{"$patch":"delete","uid":{{{Json(ownerUid)}}}}],"uid":{{{Json(uid)}}}}}""";

    private static string Json(string? s) => System.Text.Json.JsonSerializer.Serialize(s ?? "");
}
