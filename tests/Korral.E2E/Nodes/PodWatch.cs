using Korral.E2E.Infrastructure;

namespace Korral.E2E.Nodes;

/// <summary>
/// A running `kubectl get pods -w --output-watch-events` (one pod by name, or pods by label) whose lines tests wait on:
/// every status a pod passes through is printed, so a test sees ErrImagePull before ImagePullBackOff or Init:0/1 before
/// Running without polling. Keeps the latest row of each pod that exists and every row seen.
/// </summary>
public sealed class PodWatch : IAsyncDisposable
{
    /// <summary>Limit for one wait: a pod starts in about a second; the rest is margin for 2 shared cores.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly KubectlStream _stream;
    private readonly Dictionary<string, PodRow> _pods = new(StringComparer.Ordinal);
    private readonly List<PodRow> _history = [];

    private PodWatch(KubectlStream stream)
    {
        _stream = stream;
    }

    /// <summary>The latest row of each pod that exists (DELETED removes it).</summary>
    public IReadOnlyDictionary<string, PodRow> Pods => _pods;

    /// <summary>Every row read so far, in order.</summary>
    public IReadOnlyList<PodRow> History => _history;

    /// <summary>Watches one pod by name.</summary>
    public static PodWatch Pod(Kubectl kubectl, string ns, string name) =>
        new(kubectl.Stream("get", "pod", name, "-n", ns, "-w", "--output-watch-events"));

    /// <summary>Watches the pods matching a label selector.</summary>
    public static PodWatch Selected(Kubectl kubectl, string ns, string selector) =>
        new(kubectl.Stream("get", "pods", "-n", ns, "-l", selector, "-w", "--output-watch-events"));

    /// <summary>Watches every pod of a namespace.</summary>
    public static PodWatch All(Kubectl kubectl, string ns) =>
        new(kubectl.Stream("get", "pods", "-n", ns, "-w", "--output-watch-events"));

    /// <summary>Reads rows until the named pod's row matches; returns that row.</summary>
    public async Task<PodRow> WaitForAsync(string name, Func<PodRow, bool> match, string description, TimeSpan? timeout = null)
    {
        PodRow? found = null;
        await WaitForLineAsync(
            row =>
            {
                if (row.Name == name && match(row))
                {
                    found = row;
                    return true;
                }

                return false;
            },
            $"pod {name}: {description}",
            timeout);
        return found!;
    }

    /// <summary>Reads rows until the set of existing pods (latest row each) matches.</summary>
    public Task WaitForSetAsync(Func<IReadOnlyDictionary<string, PodRow>, bool> match, string description, TimeSpan? timeout = null) =>
        WaitForLineAsync(_ => match(_pods), description, timeout);

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private Task<string> WaitForLineAsync(Func<PodRow, bool> match, string description, TimeSpan? timeout) =>
        _stream.WaitForLineAsync(
            line =>
            {
                if (PodRow.Parse(line) is not { } row)
                {
                    return false;
                }

                _history.Add(row);
                if (row.Event == "DELETED")
                {
                    _pods.Remove(row.Name);
                }
                else
                {
                    _pods[row.Name] = row;
                }

                return match(row);
            },
            description,
            timeout ?? DefaultTimeout);
}
