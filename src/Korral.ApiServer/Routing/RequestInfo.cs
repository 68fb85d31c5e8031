namespace Korral.ApiServer.Routing;

/// <summary>
/// What a resource request asks for, parsed from its path and method the way upstream's request-info factory does:
/// <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}</c> or <c>/apis/{group}/{version}/…</c>.
/// </summary>
public sealed record RequestInfo
{
    public required string Verb { get; init; }

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Resource { get; init; }

    public string Namespace { get; init; } = "";

    public string Name { get; init; } = "";

    public string Subresource { get; init; } = "";

    /// <summary>Parses a resource path; null when the path is not under /api or /apis or names no resource.</summary>
    public static RequestInfo? Parse(string method, string path, bool watchParam)
    {
        var parts = path.Trim('/').Split('/');
        int i;
        string group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            group = "";
            version = parts[1];
            i = 2;
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            group = parts[1];
            version = parts[2];
            i = 3;
        }
        else
        {
            return null;
        }

        var rest = parts[i..];
        var legacyWatch = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }

        var ns = "";
        if (rest.Length > 0 && rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            // namespaces/{name}/status and /finalize are subresources of the namespace itself.
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
            else
            {
                ns = "";
            }
        }

        if (rest.Length == 0 || rest.Length > 3 || rest.Any(p => p.Length == 0))
        {
            return null;
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? Uri.UnescapeDataString(rest[1]) : "";
        var sub = rest.Length > 2 ? rest[2] : "";
        var verb = method switch
        {
            "GET" or "HEAD" => name.Length == 0 ? (watchParam || legacyWatch ? "watch" : "list") : (legacyWatch || (watchParam && sub.Length == 0) ? "watch" : "get"),
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name.Length == 0 ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };

        return new RequestInfo
        {
            Verb = verb,
            Group = group,
            Version = version,
            Resource = resource,
            Namespace = ns,
            Name = name,
            Subresource = sub,
        };
    }
}
