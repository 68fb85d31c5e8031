using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;

namespace Korral.Kubelet.Tests.Translation;

public sealed class ContainerSpecChecksTests
{
    private const string Where = "(pod: \"p_default(" + Uid + ")\", container: c)";

    public static TheoryData<string, string, long?, string, string?> Cases => new()
    {
        // pod securityContext, container securityContext, image uid, image user name, error
        { "{}", "{}", 0L, "", null },
        { "{runAsNonRoot: false}", "{}", 0L, "", null },
        { "{runAsNonRoot: true}", "{}", 0L, "", "container has runAsNonRoot and image will run as root " + Where },
        { "{}", "{runAsNonRoot: true}", 0L, "", "container has runAsNonRoot and image will run as root " + Where },
        { "{runAsNonRoot: true}", "{runAsNonRoot: false}", 0L, "", null },
        { "{runAsNonRoot: true}", "{}", 101L, "", null },
        { "{runAsNonRoot: true}", "{}", null, "nginx", "container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root " + Where },
        { "{runAsNonRoot: true, runAsUser: 1000}", "{}", null, "nginx", null },
        { "{runAsNonRoot: true}", "{runAsUser: 0}", 101L, "", "container's runAsUser breaks non-root policy " + Where },
        { "{runAsNonRoot: true, runAsUser: 0}", "{runAsUser: 1000}", 0L, "", null },
        {
            "{runAsNonRoot: true}", "{}", 4294967294L, "",
            "container has runAsNonRoot and image has an invalid user id (4294967294). (Must be 1-(2147483647)): must be between 0 and 2147483647, inclusive " + Where
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_as_non_root_is_verified_against_the_image_user(string podSc, string containerSc, long? uid, string username, string? error)
    {
        var pod = Pod($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              securityContext: {{podSc}}
              containers: [{name: c, image: busybox, securityContext: {{containerSc}}}]
            """);

        Assert.Equal(error, ContainerSpecChecks.VerifyRunAsNonRoot(pod, pod.Spec!.Containers![0], new ImageUser(uid, username)));
    }

    [Fact]
    public void The_image_user_comes_from_image_status()
    {
        Assert.Equal(ImageUser.Root, ImageUser.FromImage(null));
        Assert.Equal(ImageUser.Root, ImageUser.FromImage(new Korral.Kubelet.Cri.V1.Image()));
        Assert.Equal(new ImageUser(101, ""), ImageUser.FromImage(new Korral.Kubelet.Cri.V1.Image { Uid = new() { Value = 101 }, Username = "" }));
        Assert.Equal(new ImageUser(null, "nginx"), ImageUser.FromImage(new Korral.Kubelet.Cri.V1.Image { Username = "nginx" }));
    }
}
