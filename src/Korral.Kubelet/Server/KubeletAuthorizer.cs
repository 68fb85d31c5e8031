namespace Korral.Kubelet.Server;

/// <summary>
/// Decides who may use the kubelet API. Upstream asks the API server (webhook SubjectAccessReview for verb on
/// nodes/&lt;subresource&gt;), which grants it to system:masters and, through system:kubelet-api-admin, to the API
/// server's own kubelet client identity; this node allows exactly those two without the round trip.
/// </summary>
internal static class KubeletAuthorizer
{
    /// <summary>The CN of the client certificate the API server presents to kubelets.</summary>
    public const string ApiServerUser = "kube-apiserver-kubelet-client";

    public const string MastersGroup = "system:masters";

    public static bool Allows(KubeletUser user) => user.Name == ApiServerUser || user.Groups.Contains(MastersGroup);

    /// <summary>The authorization verb of an HTTP method (upstream's kubelet auth filter).</summary>
    public static string Verb(string method) => method switch
    {
        "POST" => "create",
        "GET" => "get",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => "",
    };

    /// <summary>The 403 text of upstream's kubelet.</summary>
    public static string Forbidden(KubeletUser user, string method, string subresource) =>
        $"Forbidden (user={user.Name}, verb={Verb(method)}, resource=nodes, subresource={subresource})";
}
