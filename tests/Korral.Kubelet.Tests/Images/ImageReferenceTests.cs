using Korral.Kubelet.Images.Mirror;

namespace Korral.Kubelet.Tests.Images;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static TheoryData<string, string, string, string> Normalised => new()
    {
        // input, full form, domain, path
        { "nginx", "docker.io/library/nginx:latest", "docker.io", "library/nginx" },
        { "busybox:1.28", "docker.io/library/busybox:1.28", "docker.io", "library/busybox" },
        { "library/redis:7", "docker.io/library/redis:7", "docker.io", "library/redis" },
        { "bitnami/redis", "docker.io/bitnami/redis:latest", "docker.io", "bitnami/redis" },
        { "docker.io/nginx", "docker.io/library/nginx:latest", "docker.io", "library/nginx" },
        { "index.docker.io/library/nginx:1.25", "docker.io/library/nginx:1.25", "docker.io", "library/nginx" },
        { "registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10", "registry.k8s.io", "pause" },
        { "registry.k8s.io/e2e-test-images/agnhost:2.39", "registry.k8s.io/e2e-test-images/agnhost:2.39", "registry.k8s.io", "e2e-test-images/agnhost" },
        { "localhost:5000/x", "localhost:5000/x:latest", "localhost:5000", "x" },
        { "localhost/x:1", "localhost/x:1", "localhost", "x" },
        { "127.0.0.1:5000/library/busybox:1.35", "127.0.0.1:5000/library/busybox:1.35", "127.0.0.1:5000", "library/busybox" },
        { "Registry/app", "Registry/app:latest", "Registry", "app" },
        { "quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0", "quay.io", "coreos/etcd" },
        { "my_app-2.web__x:A_b.1-2", "docker.io/library/my_app-2.web__x:A_b.1-2", "docker.io", "library/my_app-2.web__x" },
        { $"nginx@{Sha}", $"docker.io/library/nginx@{Sha}", "docker.io", "library/nginx" },
        // containerd's ParseDockerRef: with both a tag and a digest, only the digest is kept.
        { $"nginx:1.25@{Sha}", $"docker.io/library/nginx@{Sha}", "docker.io", "library/nginx" },
        { $"registry.k8s.io/pause:3.10@{Sha}", $"registry.k8s.io/pause@{Sha}", "registry.k8s.io", "pause" },
    };

    [Theory]
    [MemberData(nameof(Normalised))]
    public void Normalises_like_docker_and_containerd(string input, string full, string domain, string path)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(full, reference.ToString());
        Assert.Equal(domain, reference.Domain);
        Assert.Equal(path, reference.Path);
        Assert.Equal($"{domain}/{path}", reference.Repository);
        Assert.Equal(reference, ImageReference.Parse(full));
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "at least one component" },
        { "Nginx", "must be lowercase" },
        { "docker.io/Library/nginx", "must be lowercase" },
        { "nginx:", "invalid reference format" },
        { "nginx:-bad", "invalid reference format" },
        { "nginx@sha256:abc", "invalid reference format" },
        { "nginx@sha512:" + new string('a', 128), "unsupported digest" },
        { "-nginx", "invalid reference format" },
        { "nginx//x", "invalid reference format" },
        { "a b", "invalid reference format" },
        { new string('a', 64), "cannot specify 64-byte hexadecimal strings" },
        { "nginx:" + new string('t', 129), "invalid reference format" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_references_with_dockers_wording(string input, string message)
    {
        Assert.False(ImageReference.TryParse(input, out _, out var error));
        Assert.Contains(message, error);
        Assert.Contains(message, Assert.Throws<FormatException>(() => ImageReference.Parse(input)).Message);
    }

    [Theory]
    [InlineData("docker.io/library/nginx", "1.25", "docker.io/library/nginx:1.25")]
    [InlineData("docker.io/library/nginx", Sha, $"docker.io/library/nginx@{Sha}")]
    [InlineData("registry.k8s.io/pause", "3.10", "registry.k8s.io/pause:3.10")]
    public void Combines_a_repository_with_a_tag_or_digest(string repository, string reference, string full)
    {
        Assert.True(ImageReference.TryParse(repository, reference, out var parsed, out _));
        Assert.Equal(full, parsed.ToString());
    }
}
