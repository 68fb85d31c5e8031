using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>Read-only commands a newcomer runs first: cluster-info, version, api-resources, api-versions, explain.</summary>
public sealed class ClusterInfoTests(KorralServer server) : E2ETest(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Cluster_info_prints_the_control_plane_url(string version)
    {
        var result = (await Kubectl(version).RunAsync("cluster-info")).EnsureSuccess();

        // kubectl colours this line even when stdout is not a terminal; the text is what counts.
        var first = Regex.Replace(result.Lines[0], @"\x1b\[[0-9;]*m", "");
        Assert.Equal($"Kubernetes control plane is running at {Server.Url}", first);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Version_prints_the_server_version(string version)
    {
        var result = (await Kubectl(version).RunAsync("version")).EnsureSuccess();

        // 1.28+ print "Server Version: v1.33.1…"; 1.27 still prints the whole version.Info struct, with GitVersion:"v1.33.1…".
        var client = Assert.Single(result.Lines, l => l.StartsWith("Client Version: ", StringComparison.Ordinal));
        var server = Assert.Single(result.Lines, l => l.StartsWith("Server Version: ", StringComparison.Ordinal));
        Assert.Contains($"v{version}.", client, StringComparison.Ordinal);
        Assert.Matches(version == KubectlVersions.Oldest ? @"GitVersion:""v1\.33\.1[+""]" : @"^Server Version: v1\.33\.1(\+|$)", server);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Api_resources_lists_built_in_kinds_with_short_names(string version)
    {
        var result = (await Kubectl(version).RunAsync("api-resources")).EnsureSuccess();

        Assert.Equal("NAME SHORTNAMES APIVERSION NAMESPACED KIND", Collapse(result.Lines[0]));
        var rows = result.Lines.Skip(1).Select(Collapse).ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            "pods po v1 true Pod",
            "services svc v1 true Service",
            "namespaces ns v1 false Namespace",
            "nodes no v1 false Node",
            "configmaps cm v1 true ConfigMap",
            "secrets v1 true Secret",
            "persistentvolumeclaims pvc v1 true PersistentVolumeClaim",
            "deployments deploy apps/v1 true Deployment",
            "replicasets rs apps/v1 true ReplicaSet",
            "statefulsets sts apps/v1 true StatefulSet",
            "daemonsets ds apps/v1 true DaemonSet",
            "jobs batch/v1 true Job",
            "cronjobs cj batch/v1 true CronJob",
            "ingresses ing networking.k8s.io/v1 true Ingress",
        ];
        var missing = expected.Where(e => !rows.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"rows missing: {string.Join("; ", missing)}\n{result}");
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Api_versions_lists_the_served_group_versions(string version)
    {
        var result = (await Kubectl(version).RunAsync("api-versions")).EnsureSuccess();

        string[] expected =
        [
            "v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "networking.k8s.io/v1", "policy/v1",
            "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "events.k8s.io/v1",
        ];
        var missing = expected.Except(result.Lines, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"group versions missing: {string.Join(", ", missing)}\n{result}");
        Assert.Equal(result.Lines.Order(StringComparer.Ordinal), result.Lines);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Explain_pod_spec_containers_prints_its_fields(string version)
    {
        var result = (await Kubectl(version).RunAsync("explain", "pod.spec.containers")).EnsureSuccess();

        Assert.Matches(@"^KIND:\s+Pod$", result.Lines[0]);
        Assert.Matches(@"^VERSION:\s+v1$", result.Lines[1]);
        Assert.Contains(result.Lines, l => l.StartsWith("FIELD: containers <[]Container>", StringComparison.Ordinal));
        var fields = result.Lines.SkipWhile(l => l != "FIELDS:").Skip(1).Select(l => l.Trim()).ToList();
        Assert.True(fields.Count > 0, $"no FIELDS: section\n{result}");
        foreach (var field in new[] { "image\t<string>", "name\t<string> -required-", "ports\t<[]ContainerPort>", "env\t<[]EnvVar>" })
        {
            Assert.True(fields.Contains(field), $"field line \"{field}\" missing\n{result}");
        }
    }
}
