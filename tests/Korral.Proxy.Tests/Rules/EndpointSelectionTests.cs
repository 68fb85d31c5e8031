using Korral.Proxy.Rules;

namespace Korral.Proxy.Tests.Rules;

/// <summary>Which endpoints each policy uses, as kube-proxy's CategorizeEndpoints decides (table-driven).</summary>
public sealed class EndpointSelectionTests
{
    // Endpoint shorthand: R ready, T serving+terminating, N neither; lower case = on this node.
    public static TheoryData<string, bool, bool, string, string, string, bool> Cases() => new()
    {
        // endpoints, internalLocal, externalLocal(NodePort), cluster, local, allReachable, hasAny
        { "R1 R2", false, false, "1 2", "", "1 2", true },
        { "R1 N2", false, false, "1", "", "1", true },
        { "T1 N2", false, false, "1", "", "1", true },
        { "T1 R2", false, false, "2", "", "2", true },
        { "N1", false, false, "", "", "", false },
        { "r1 R2", true, false, "", "1", "1", true },
        { "R2", true, false, "", "", "", true },
        { "t1 R2", true, false, "", "1", "1", true },
        { "r1 R2", false, true, "1 2", "1", "1 2", true },
        { "t1 R2", false, true, "2", "1", "2 1", true },
        { "R2", false, true, "2", "", "2", true },
        { "n1", false, true, "", "", "", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Selects(string endpoints, bool internalLocal, bool externalLocal, string cluster, string local, string all, bool hasAny)
    {
        var port = new ServicePortInfo
        {
            Namespace = "default",
            Name = "s",
            PortName = "",
            Protocol = "tcp",
            Port = 80,
            ClusterIP = "10.96.0.1",
            NodePort = externalLocal ? 30000 : 0,
            InternalTrafficLocal = internalLocal,
            ExternalTrafficLocal = externalLocal,
            Endpoints = [.. endpoints.Split(' ').Select(Endpoint)],
        };

        var selection = EndpointSelection.For(port);

        Assert.Equal(cluster, Ids(selection.Cluster));
        Assert.Equal(local, Ids(selection.Local));
        Assert.Equal(all, Ids(selection.AllReachable));
        Assert.Equal(hasAny, selection.HasAny);
    }

    private static ProxyEndpoint Endpoint(string code)
    {
        var kind = char.ToUpperInvariant(code[0]);
        return new ProxyEndpoint($"10.42.0.{code[1]}", 8080, kind == 'R', kind is 'R' or 'T', kind == 'T', char.IsLower(code[0]));
    }

    private static string Ids(IReadOnlyList<ProxyEndpoint> endpoints) => string.Join(' ', endpoints.Select(e => e.Ip[^1]));
}
