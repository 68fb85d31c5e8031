namespace Korral.Api.Schema;

/// <summary>A kind within an API group and version; the core group is "".</summary>
public readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    /// <summary>"v1" for the core group, "apps/v1" otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static GroupVersionKind FromApiVersion(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0
            ? new GroupVersionKind("", apiVersion, kind)
            : new GroupVersionKind(apiVersion[..slash], apiVersion[(slash + 1)..], kind);
    }

    public override string ToString() => $"{ApiVersion}, Kind={Kind}";
}
