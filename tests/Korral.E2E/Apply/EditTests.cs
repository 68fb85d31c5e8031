using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>
/// `kubectl edit` with a scripted editor: kubectl runs `$KUBE_EDITOR` (else `$EDITOR`) on a temporary YAML file and
/// sends what changed as a strategic merge patch (fieldManager kubectl-edit).
/// </summary>
public sealed class EditTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Edit_with_a_scripted_editor_changes_the_object(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "edit");
        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", kubectl.WriteFile("web.yaml", WebDeployment)));
        kubectl.Environment["TMPDIR"] = kubectl.WorkDir;
        kubectl.Environment["EDITOR"] = Editor(kubectl, "to-4.sh", "s/^  replicas: 2$/  replicas: 4/");

        Assert.Equal(["deployment.apps/web edited"], await OkAsync(kubectl, "edit", "deployment/web", "-n", ns));
        Assert.Equal("4", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));

        // KUBE_EDITOR wins over EDITOR.
        kubectl.Environment["KUBE_EDITOR"] = Editor(kubectl, "image.sh", "s/image: nginx:1.25$/image: nginx:1.26/");
        kubectl.Environment["EDITOR"] = "/bin/false";
        Assert.Equal(["deployment.apps/web edited"], await OkAsync(kubectl, "edit", "deployment/web", "-n", ns));
        Assert.Equal("main=nginx:1.26 side=busybox:1.28 ", await ContainersAsync(kubectl, ns));

        // An editor that changes nothing: nothing is sent.
        kubectl.Environment["KUBE_EDITOR"] = "/bin/true";
        var noop = (await kubectl.RunAsync("edit", "deployment/web", "-n", ns)).EnsureSuccess();
        Assert.Equal("", noop.Stdout);
        Assert.Equal("Edit cancelled, no changes made.", noop.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Edit_that_makes_the_object_invalid_is_refused_and_the_changes_are_kept_in_a_file(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "edit-bad");
        Assert.Equal(["deployment.apps/web created"], await OkAsync(kubectl, "apply", "-n", ns, "-f", kubectl.WriteFile("web.yaml", WebDeployment)));
        kubectl.Environment["TMPDIR"] = kubectl.WorkDir;
        kubectl.Environment["EDITOR"] = Editor(kubectl, "negative.sh", "s/^  replicas: .*$/  replicas: -1/");

        // kubectl reopens the file with the error on top; the script changes nothing more, so kubectl gives up.
        var result = await FailAsync(kubectl, "edit", "deployment/web", "-n", ns);

        Assert.Equal("", result.Stdout);
        var errors = result.ErrorLines;
        Assert.Equal(3, errors.Count);
        Assert.Equal("error: deployments.apps \"web\" is invalid", errors[0]);
        var copy = Regex.Match(errors[1], "^A copy of your changes has been stored to \"(.+)\"$");
        Assert.True(copy.Success, $"unexpected line: {errors[1]}\n{result}");
        Assert.Equal("error: Edit cancelled, no valid changes were saved.", errors[2]);

        var kept = File.ReadAllText(copy.Groups[1].Value);
        Assert.Contains("# deployments.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n", kept, StringComparison.Ordinal);
        Assert.Contains("\n  replicas: -1\n", kept, StringComparison.Ordinal);
        Assert.Equal("2", await JsonPathAsync(kubectl, ns, "deployment/web", "{.spec.replicas}"));
    }

    /// <summary>Writes an executable editor script that runs one sed expression on the file kubectl passes.</summary>
    private static string Editor(Kubectl kubectl, string name, string sedExpression)
    {
        var path = Path.Combine(kubectl.WorkDir, name);
        File.WriteAllText(path, $"#!/bin/sh\nexec sed -i '{sedExpression}' \"$1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
