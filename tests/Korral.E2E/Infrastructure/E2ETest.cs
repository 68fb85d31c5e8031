using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Korral.E2E.Infrastructure;

/// <summary>
/// Base of the test classes that share one <see cref="KorralServer"/> per class. xunit makes a new instance per test, so every
/// test gets its own kubectl cache directories; tests that would clash on names make their own namespace.
/// </summary>
public abstract class E2ETest : IClassFixture<KorralServer>, IDisposable
{
    private readonly Dictionary<string, Kubectl> _kubectls = new(StringComparer.Ordinal);

    protected E2ETest(KorralServer server)
    {
        Server = server;
    }

    protected KorralServer Server { get; }

    /// <summary>The kubectl of this version for this test (one fresh KUBECACHEDIR per version and test).</summary>
    protected Kubectl Kubectl(string version)
    {
        if (!_kubectls.TryGetValue(version, out var kubectl))
        {
            _kubectls[version] = kubectl = new Kubectl(Server, version);
        }

        return kubectl;
    }

    /// <summary>A name no other test uses: prefix, kubectl version and a random suffix, valid as a DNS label.</summary>
    protected static string UniqueName(string prefix, string version) =>
        $"{prefix}-{version.Replace(".", "", StringComparison.Ordinal)}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Creates a namespace of its own for this test with `kubectl create namespace` and returns its name.</summary>
    protected static async Task<string> CreateNamespaceAsync(Kubectl kubectl, string prefix)
    {
        var name = UniqueName(prefix, kubectl.Version);
        var result = (await kubectl.RunAsync("create", "namespace", name)).EnsureSuccess();
        Assert.Equal($"namespace/{name} created", result.Stdout.Trim());
        return name;
    }

    /// <summary>Creates pods (image nginx, label app=&lt;app&gt;) in a namespace from one manifest on stdin.</summary>
    protected static async Task CreatePodsAsync(Kubectl kubectl, string ns, params (string Name, string App)[] pods)
    {
        var manifest = string.Join("---\n", pods.Select(p => $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {p.Name}
              labels:
                app: "{p.App}"
            spec:
              containers:
              - name: main
                image: nginx
            
            """));
        var result = (await kubectl.RunAsync(["create", "-n", ns, "-f", "-"], manifest)).EnsureSuccess();
        Assert.Equal(pods.Select(p => $"pod/{p.Name} created"), result.Lines);
    }

    /// <summary>Fails unless some stdout line matches the regular expression, showing the whole output.</summary>
    protected static void AssertLine(KubectlResult result, [StringSyntax(StringSyntaxAttribute.Regex)] string pattern) =>
        Assert.True(result.Lines.Any(l => Regex.IsMatch(l, pattern)), $"no line matches /{pattern}/\n{result}");

    /// <summary>A printed table line as its whitespace-separated cells (kubectl pads with spaces).</summary>
    protected static string[] Cells(string line) => Regex.Split(line.Trim(), @"\s+");

    /// <summary>A line with runs of whitespace collapsed to one space, for comparing headers.</summary>
    protected static string Collapse(string line) => Regex.Replace(line.Trim(), @"\s+", " ");

    public void Dispose()
    {
        foreach (var kubectl in _kubectls.Values)
        {
            kubectl.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
