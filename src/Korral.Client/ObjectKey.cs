namespace Korral.Client;

/// <summary>Cache and work-queue keys: "namespace/name" for namespaced objects, "name" otherwise.</summary>
public static class ObjectKey
{
    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    /// <summary>Splits a key into namespace ("" when cluster-scoped) and name.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
