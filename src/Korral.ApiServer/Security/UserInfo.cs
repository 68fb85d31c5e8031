namespace Korral.ApiServer.Security;

/// <summary>An authenticated user: name and groups, from a client certificate (CN, O) or a token.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);

    public bool IsAnonymous => Name == Anonymous.Name;
}
