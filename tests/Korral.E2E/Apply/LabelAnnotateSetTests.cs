using Korral.E2E.Infrastructure;

namespace Korral.E2E.Apply;

/// <summary>`kubectl label`, `annotate`, `set image` and `set env`: each a GET then a PATCH computed by kubectl.</summary>
public sealed class LabelAnnotateSetTests(KorralServer server) : ApplyTestBase(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Label_adds_refuses_to_overwrite_without_the_flag_overwrites_and_removes(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "label");

        Assert.Equal(["deployment.apps/web labeled"], await OkAsync(kubectl, "label", "deployment/web", "-n", ns, "color=red"));
        Assert.Equal("app=web,color=red,tier=front", Labels(await GetJsonAsync(kubectl, ns, "deployment/web")));

        var refused = await FailAsync(kubectl, "label", "deployment/web", "-n", ns, "color=blue");
        Assert.Equal("error: 'color' already has a value (red), and --overwrite is false", refused.Stderr.Trim());

        Assert.Equal(["deployment.apps/web labeled"], await OkAsync(kubectl, "label", "deployment/web", "-n", ns, "color=blue", "--overwrite"));
        Assert.Equal("app=web,color=blue,tier=front", Labels(await GetJsonAsync(kubectl, ns, "deployment/web")));

        Assert.Equal(["deployment.apps/web unlabeled"], await OkAsync(kubectl, "label", "deployment/web", "-n", ns, "color-"));
        Assert.Equal("app=web,tier=front", Labels(await GetJsonAsync(kubectl, ns, "deployment/web")));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Annotate_adds_refuses_to_overwrite_without_the_flag_overwrites_and_removes(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "annotate");
        // kubectl 1.27 prints "annotate" (its printer was given the verb, fixed in 1.28).
        var annotated = version == KubectlVersions.Oldest ? "deployment.apps/web annotate" : "deployment.apps/web annotated";

        Assert.Equal([annotated], await OkAsync(kubectl, "annotate", "deployment/web", "-n", ns, "note=first"));
        Assert.Equal("note=first", Annotations(await GetJsonAsync(kubectl, ns, "deployment/web")));

        var refused = await FailAsync(kubectl, "annotate", "deployment/web", "-n", ns, "note=second");
        Assert.Equal("error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (first)", refused.Stderr.Trim());

        Assert.Equal([annotated], await OkAsync(kubectl, "annotate", "deployment/web", "-n", ns, "note=second", "--overwrite"));
        Assert.Equal("note=second", Annotations(await GetJsonAsync(kubectl, ns, "deployment/web")));

        Assert.Equal([annotated], await OkAsync(kubectl, "annotate", "deployment/web", "-n", ns, "note-"));
        Assert.Equal("", Annotations(await GetJsonAsync(kubectl, ns, "deployment/web")));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Set_image_changes_one_containers_image(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "set-image");

        Assert.Equal(["deployment.apps/web image updated"], await OkAsync(kubectl, "set", "image", "deployment/web", "-n", ns, "main=nginx:1.2"));
        Assert.Equal("main=nginx:1.2 side=busybox:1.28 ", await ContainersAsync(kubectl, ns));
        Assert.Equal("2", await JsonPathAsync(kubectl, ns, "deployment/web", "{.metadata.generation}"));

        var missing = await FailAsync(kubectl, "set", "image", "deployment/web", "-n", ns, "nope=nginx:1.2");
        Assert.Equal("error: unable to find container named \"nope\"", missing.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Set_env_adds_changes_and_removes_variables(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateWebAsync(kubectl, "set-env");

        // Without -c: every container.
        Assert.Equal(["deployment.apps/web env updated"], await OkAsync(kubectl, "set", "env", "deployment/web", "-n", ns, "A=9"));
        Assert.Equal("A=9 B=2 ", await EnvAsync(kubectl, ns, "main"));
        Assert.Equal("A=9 ", await EnvAsync(kubectl, ns, "side"));

        Assert.Equal(["deployment.apps/web env updated"], await OkAsync(kubectl, "set", "env", "deployment/web", "-n", ns, "-c", "main", "C=3"));
        Assert.Equal("A=9 B=2 C=3 ", await EnvAsync(kubectl, ns, "main"));
        Assert.Equal("A=9 ", await EnvAsync(kubectl, ns, "side"));

        Assert.Equal(["deployment.apps/web env updated"], await OkAsync(kubectl, "set", "env", "deployment/web", "-n", ns, "A-"));
        Assert.Equal("B=2 C=3 ", await EnvAsync(kubectl, ns, "main"));
        Assert.Equal("", await EnvAsync(kubectl, ns, "side"));
    }
}
