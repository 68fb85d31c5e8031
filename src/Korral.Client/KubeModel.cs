using System.Reflection;
using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;

namespace Korral.Client;

/// <summary>
/// What the client needs to know about a generated model type <typeparamref name="T"/> (e.g. CoreV1.Pod): its
/// apiVersion and kind (the <c>KubeApiVersion</c>/<c>KubeKind</c> constants), fast access to its <c>Metadata</c>
/// property, and the built-in resource that serves it. Worked out once per type, by reflection, then cached.
/// </summary>
public static class KubeModel<T>
    where T : class
{
    private static readonly Func<T, ObjectMeta?> GetMeta;
    private static readonly Action<T, ObjectMeta?> SetMeta;

    static KubeModel()
    {
        var type = typeof(T);
        ApiVersion = Constant(type, "KubeApiVersion");
        Kind = Constant(type, "KubeKind");
        var property = type.GetProperty("Metadata", BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.PropertyType != typeof(ObjectMeta) || property.GetMethod is null || property.SetMethod is null)
        {
            var error = $"{type.FullName} has no read-write ObjectMeta Metadata property: it is not a Kubernetes object model";
            GetMeta = _ => throw new InvalidOperationException(error);
            SetMeta = (_, _) => throw new InvalidOperationException(error);
        }
        else
        {
            GetMeta = property.GetMethod.CreateDelegate<Func<T, ObjectMeta?>>();
            SetMeta = property.SetMethod.CreateDelegate<Action<T, ObjectMeta?>>();
        }

        if (ApiVersion is not null && Kind is not null)
        {
            var slash = ApiVersion.IndexOf('/');
            var group = slash < 0 ? "" : ApiVersion[..slash];
            var version = ApiVersion[(slash + 1)..];
            Resource = BuiltinResources.Instance.FindByKind(group, version, Kind);
        }
    }

    /// <summary>"v1", "apps/v1"…, or null for types that are not top-level kinds.</summary>
    public static string? ApiVersion { get; }

    /// <summary>"Pod", "Deployment"…, or null.</summary>
    public static string? Kind { get; }

    /// <summary>The built-in resource of this kind (pods, deployments.apps…), or null (Scale, custom types).</summary>
    public static ResourceInfo? Resource { get; }

    public static ObjectMeta? Metadata(T obj) => GetMeta(obj);

    /// <summary>The object's metadata, created empty first if it had none.</summary>
    public static ObjectMeta EnsureMetadata(T obj)
    {
        var meta = GetMeta(obj);
        if (meta is null)
        {
            meta = new ObjectMeta();
            SetMeta(obj, meta);
        }

        return meta;
    }

    private static string? Constant(Type type, string name) =>
        type.GetField(name, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f ? f.GetRawConstantValue() as string : null;
}
