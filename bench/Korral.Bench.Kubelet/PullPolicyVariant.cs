namespace Korral.Bench.Kubelet;

/// <summary>
/// One way the measured pods ask for their image: <c>imagePullPolicy: IfNotPresent</c> (the kubelet only checks the
/// node's images) or the field left out, which the API server defaults to Always for a <c>:latest</c> tag (the kubelet
/// pulls through the node's registry mirror for every container start, even with the layers present).
/// </summary>
public sealed record PullPolicyVariant(string Key, string? PullPolicy, string Description)
{
    public static PullPolicyVariant IfNotPresent { get; } = new("ifnotpresent", "IfNotPresent", "imagePullPolicy: IfNotPresent");

    public static PullPolicyVariant Default { get; } = new("always", null, "imagePullPolicy unset (defaulted to Always for :latest)");

    public static IReadOnlyList<PullPolicyVariant> All { get; } = [IfNotPresent, Default];

    public static PullPolicyVariant? Find(string key) =>
        All.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase)) ??
        (string.Equals(key, "default", StringComparison.OrdinalIgnoreCase) ? Default : null);
}
