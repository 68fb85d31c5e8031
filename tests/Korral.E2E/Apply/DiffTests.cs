using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// `kubectl diff -f`: kubectl sends the apply patch with dryRun=All and runs `diff -u -N` on the live and the merged
/// object. Exit code 0 and no output when equal, 1 and a unified diff when not; the server stores nothing.
/// </summary>
public sealed class DiffTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Diff_of_an_applied_file_is_empty_and_of_an_edited_one_shows_the_changed_lines_without_storing_them(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "diff");
        var file = kubectl.WriteFile("web.yaml", WebDeployment);
        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", file));
        var before = await GetJsonAsync(kubectl, ns, "deployment/web");

        var same = await kubectl.RunAsync("diff", "-n", ns, "-f", file);
        Assert.True(same.ExitCode == 0, $"expected exit code 0\n{same}");
        Assert.Equal("", same.Stdout);
        Assert.Equal("", same.Stderr);

        var edited = kubectl.WriteFile("web-edited.yaml", Change(Change(WebDeployment, "replicas: 2", "replicas: 3"), "image: nginx:1.25", "image: nginx:1.26"));
        var diff = await kubectl.RunAsync("diff", "-n", ns, "-f", edited);

        Assert.True(diff.ExitCode == 1, $"expected exit code 1\n{diff}");
        var lines = diff.Lines;
        Assert.Matches($@"^diff -u -N \S+/LIVE-\d+/apps\.v1\.Deployment\.{ns}\.web \S+/MERGED-\d+/apps\.v1\.Deployment\.{ns}\.web$", lines[0]);
        Assert.StartsWith("--- ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("+++ ", lines[2], StringComparison.Ordinal);
        // Exactly these lines change: the two edited fields and the generation the dry run would bump.
        Assert.Equal(
            ["-  generation: 1", "+  generation: 2", "-  replicas: 2", "+  replicas: 3", "-        image: nginx:1.25", "+        image: nginx:1.26"],
            lines.Skip(3).Where(l => l.StartsWith('-') || l.StartsWith('+')));
        Assert.Equal("", diff.Stderr);

        var after = await GetJsonAsync(kubectl, ns, "deployment/web");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Diff_of_an_object_that_does_not_exist_shows_it_whole_and_creates_nothing(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "diff-new");
        var file = kubectl.WriteFile("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  k: v\n");

        var diff = await kubectl.RunAsync("diff", "-n", ns, "-f", file);

        Assert.True(diff.ExitCode == 1, $"expected exit code 1\n{diff}");
        Assert.Matches($@"^diff -u -N \S+/LIVE-\d+/v1\.ConfigMap\.{ns}\.fresh \S+/MERGED-\d+/v1\.ConfigMap\.{ns}\.fresh$", diff.Lines[0]);
        Assert.Contains("+  name: fresh", diff.Lines);
        Assert.Contains($"+  namespace: {ns}", diff.Lines);
        Assert.Contains("+  k: v", diff.Lines);
        Assert.DoesNotContain(diff.Lines.Skip(3), l => l.StartsWith('-'));
        await AssertAbsentAsync(kubectl, ns, "configmaps", "fresh");
    }
}
