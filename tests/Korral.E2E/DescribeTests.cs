using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>`kubectl describe pod|deployment`: the header fields and an empty event list.</summary>
public sealed class DescribeTests(KorralServer server) : E2ETest(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Describe_pod_prints_name_namespace_and_events(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "describe");
        await CreatePodsAsync(kubectl, ns, ("d-1", "web"));

        var result = (await kubectl.RunAsync("describe", "pod", "d-1", "-n", ns)).EnsureSuccess();

        AssertLine(result, @"^Name:\s+d-1$");
        AssertLine(result, $@"^Namespace:\s+{ns}$");
        AssertLine(result, @"^Labels:\s+app=web$");
        AssertLine(result, @"^\s+Image:\s+nginx$");
        Assert.Matches(@"^Events:\s+<none>$", result.Lines[^1]);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Describe_deployment_prints_name_namespace_and_events(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "describe");
        (await kubectl.RunAsync("create", "deployment", "web", "--image=nginx", "-n", ns)).EnsureSuccess();

        var result = (await kubectl.RunAsync("describe", "deployment", "web", "-n", ns)).EnsureSuccess();

        AssertLine(result, @"^Name:\s+web$");
        AssertLine(result, $@"^Namespace:\s+{ns}$");
        AssertLine(result, @"^Selector:\s+app=web$");
        AssertLine(result, @"^StrategyType:\s+RollingUpdate$");
        AssertLine(result, @"^Replicas:\s+1 desired \|");
        Assert.Matches(@"^Events:\s+<none>$", result.Lines[^1]);
    }
}
