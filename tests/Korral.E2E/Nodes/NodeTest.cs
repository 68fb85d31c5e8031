using System.Text.Json;
using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Nodes;

/// <summary>
/// Base of the tests on the shared real node: a kubectl per version for this test, namespaces the cluster deletes at the
/// end, and the reads most tests need (a pod as JSON, its events, its logs) — each waiting on its condition with a limit.
/// </summary>
public abstract class NodeTest(NodeCluster cluster) : IDisposable
{
    /// <summary>Limit for conditions that nothing announces (events recorded, a log line written, a node cleaned up).</summary>
    protected static readonly TimeSpan ConditionTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, Kubectl> _kubectls = new(StringComparer.Ordinal);

    protected NodeCluster Cluster => cluster;

    protected KorralServer Server => cluster.Server;

    /// <summary>The kubectl of this version for this test (its own discovery cache and work directory).</summary>
    protected Kubectl Kubectl(string version)
    {
        if (!_kubectls.TryGetValue(version, out var kubectl))
        {
            _kubectls[version] = kubectl = new Kubectl(cluster.Server, version);
        }

        return kubectl;
    }

    protected Task<string> CreateNamespaceAsync(Kubectl kubectl, string prefix) => cluster.CreateNamespaceAsync(kubectl, prefix);

    /// <summary>Writes a manifest into kubectl's work directory and `kubectl apply -n NS -f` it.</summary>
    protected static async Task<KubectlResult> ApplyAsync(Kubectl kubectl, string ns, string fileName, string manifest) =>
        (await kubectl.RunAsync("apply", "-n", ns, "-f", kubectl.WriteFile(fileName, manifest))).EnsureSuccess();

    /// <summary>The pod as `kubectl get pod -o json` prints it.</summary>
    protected static async Task<JsonElement> PodAsync(Kubectl kubectl, string ns, string name)
    {
        var result = (await kubectl.RunAsync("get", "pod", name, "-n", ns, "-o", "json")).EnsureSuccess();
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>The status of one container of a pod (init containers included).</summary>
    protected static JsonElement ContainerStatus(JsonElement pod, string container)
    {
        var status = pod.GetProperty("status");
        foreach (var list in new[] { "initContainerStatuses", "containerStatuses" })
        {
            if (status.TryGetProperty(list, out var statuses))
            {
                foreach (var candidate in statuses.EnumerateArray())
                {
                    if (candidate.GetProperty("name").GetString() == container)
                    {
                        return candidate;
                    }
                }
            }
        }

        Assert.Fail($"no status for container {container}: {status}");
        return default;
    }

    /// <summary>"TYPE REASON MESSAGE" of the pod's events, oldest first, once every wanted reason is among them.</summary>
    protected static Task<IReadOnlyList<string>> WaitForEventsAsync(Kubectl kubectl, string ns, string pod, params string[] reasons) =>
        Eventually.WaitAsync(
            async _ => (IReadOnlyList<string>)(await kubectl.RunAsync(
                    "get", "events", "-n", ns, "--field-selector", $"involvedObject.name={pod}", "--sort-by=.metadata.creationTimestamp",
                    "-o", "jsonpath={range .items[*]}{.type} {.reason} {.message}{\"\\n\"}{end}"))
                .EnsureSuccess().Lines,
            events => reasons.All(reason => events.Any(e => e.Split(' ')[1] == reason)),
            $"events {string.Join(", ", reasons)} of pod {ns}/{pod}",
            ConditionTimeout,
            events => string.Join(" | ", events));

    /// <summary>
    /// `kubectl logs` of a pod's container, repeated until it succeeds with output that satisfies <paramref name="done"/>
    /// (a container that has not started yet has no log). A server that does not serve pods/log at all fails at once.
    /// </summary>
    protected static async Task<string> WaitForLogsAsync(
        Kubectl kubectl, string ns, string pod, string? container, Func<string, bool> done, string description)
    {
        string[] args = container is null ? ["logs", pod, "-n", ns] : ["logs", pod, "-n", ns, "-c", container];
        var result = await Eventually.WaitAsync(
            _ => kubectl.RunAsync(args),
            r => (r.Succeeded && done(r.Stdout)) || Unsupported(r),
            $"logs of {ns}/{pod}{(container is null ? "" : $" -c {container}")}: {description}",
            ConditionTimeout);
        Assert.False(Unsupported(result), $"the server does not serve pods/log\n{result}");
        return result.Stdout;

        static bool Unsupported(KubectlResult r) =>
            !r.Succeeded && (r.Stderr.Contains("(MethodNotAllowed)", StringComparison.Ordinal) || r.Stderr.Contains("(NotFound): the server could not find the requested resource", StringComparison.Ordinal));
    }

    /// <summary>Waits until the node holds nothing more of the pod (containers, sandbox, logs, cgroups, kubelet directory).</summary>
    protected Task WaitForNothingLeftAsync(string ns, string name, string uid) =>
        Eventually.WaitAsync(
            _ => cluster.LeftoversOfPodAsync(ns, name, uid),
            left => left.Count == 0,
            $"the node to clean up after pod {ns}/{name} ({uid})",
            ConditionTimeout,
            left => string.Join("; ", left));

    /// <summary>Fails unless some line matches the regular expression, showing all lines.</summary>
    protected static void AssertLine(IEnumerable<string> lines, string pattern, string what)
    {
        var all = lines.ToList();
        Assert.True(all.Any(l => Regex.IsMatch(l, pattern)), $"no line of {what} matches /{pattern}/:\n{string.Join('\n', all)}");
    }

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
