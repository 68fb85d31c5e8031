using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.Manager;

namespace Korral.Controllers.PodGC;

/// <summary>Settings of <see cref="PodGCController"/>, with upstream's defaults.</summary>
public sealed record PodGCOptions
{
    /// <summary>How often the collector looks (upstream: 20 s).</summary>
    public TimeSpan CheckPeriod { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a node must be missing before its pods go (upstream: 40 s), checked again live at the end.</summary>
    public TimeSpan Quarantine { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Terminated pods (Succeeded/Failed) kept at most, oldest deleted first (upstream: 12,500); 0 keeps all.</summary>
    public int TerminatedPodThreshold { get; init; } = 12_500;
}

/// <summary>
/// The pod garbage collector: every <see cref="PodGCOptions.CheckPeriod"/> it force-deletes (grace 0) pods bound to
/// nodes that no longer exist — after the node has been missing from the cache for the quarantine and a live GET
/// confirms it is gone —, pods being deleted that were never scheduled, and the oldest terminated pods beyond the
/// threshold (creationTimestamp has whole seconds: ties go by namespace and name).
/// </summary>
public sealed class PodGCController : IController
{
    public const string ControllerName = "podgc";

    private readonly ControllerContext _context;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<Node> _nodes;
    private readonly Dictionary<string, DateTimeOffset> _missingSince = [];

    public PodGCController(ControllerContext context, PodGCOptions? options = null)
    {
        _context = context;
        Options = options ?? new PodGCOptions();
        _pods = context.Informers.Informer<Pod>();
        if (!_pods.Indexer.HasIndex(Indexers.NodeName))
        {
            _pods.Indexer.AddIndex(Indexers.NodeName, Indexers.ByNodeName);
        }

        _nodes = context.Informers.Informer<Node>();
    }

    public string Name => ControllerName;

    public PodGCOptions Options { get; }

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            await _pods.WaitForSyncAsync(cancellationToken);
            await _nodes.WaitForSyncAsync(cancellationToken);
            while (true)
            {
                try
                {
                    await CollectAsync(cancellationToken);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
                {
                    _context.Log($"podgc: {e.Message}");
                }

                await Task.Delay(Options.CheckPeriod, _context.Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass of the collector (what each tick runs).</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        await CollectTerminatedAsync(cancellationToken);
        await CollectOrphanedAsync(cancellationToken);
        await CollectUnscheduledTerminatingAsync(cancellationToken);
    }

    private async Task CollectTerminatedAsync(CancellationToken cancellationToken)
    {
        if (Options.TerminatedPodThreshold <= 0)
        {
            return;
        }

        var terminated = _pods.Lister.List().Where(p => p.Status?.Phase is "Succeeded" or "Failed" && p.Metadata?.DeletionTimestamp is null).ToList();
        var excess = terminated.Count - Options.TerminatedPodThreshold;
        if (excess <= 0)
        {
            return;
        }

        var oldest = terminated
            .OrderBy(p => p.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Metadata?.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal)
            .Take(excess)
            .ToList();
        foreach (var pod in oldest)
        {
            await ForceDeleteAsync(pod, "terminated pods above the threshold", cancellationToken);
        }
    }

    private async Task CollectOrphanedAsync(CancellationToken cancellationToken)
    {
        var now = _context.Time.GetUtcNow();
        var missing = new HashSet<string>();
        foreach (var nodeName in _pods.Indexer.IndexValues(Indexers.NodeName))
        {
            if (nodeName.Length > 0 && _nodes.Lister.Get(null, nodeName) is null && _pods.Indexer.ByIndex(Indexers.NodeName, nodeName).Count > 0)
            {
                missing.Add(nodeName);
            }
        }

        foreach (var gone in _missingSince.Keys.Where(n => !missing.Contains(n)).ToList())
        {
            _missingSince.Remove(gone);
        }

        foreach (var nodeName in missing)
        {
            if (!_missingSince.TryGetValue(nodeName, out var since))
            {
                _missingSince[nodeName] = now;
                continue;
            }

            if (now - since < Options.Quarantine)
            {
                continue;
            }

            // Checked twice: missing from the cache for the whole quarantine, and missing from the server now.
            if (await _context.Client.Resource<Node>().TryGetAsync(null, nodeName, cancellationToken) is not null)
            {
                _missingSince.Remove(nodeName);
                continue;
            }

            foreach (var pod in _pods.Indexer.ByIndex(Indexers.NodeName, nodeName))
            {
                await ForceDeleteAsync(pod, $"node {nodeName} does not exist", cancellationToken);
            }

            _missingSince.Remove(nodeName);
        }
    }

    private async Task CollectUnscheduledTerminatingAsync(CancellationToken cancellationToken)
    {
        foreach (var pod in _pods.Indexer.ByIndex(Indexers.NodeName, ""))
        {
            if (pod.Metadata?.DeletionTimestamp is not null)
            {
                await ForceDeleteAsync(pod, "unscheduled and terminating", cancellationToken);
            }
        }
    }

    private async Task ForceDeleteAsync(Pod pod, string why, CancellationToken cancellationToken)
    {
        var meta = pod.Metadata!;
        _context.Log($"podgc: force-deleting pod {meta.Namespace}/{meta.Name}: {why}");
        try
        {
            await _context.Client.Resource<Pod>().DeleteAsync(meta.Namespace, meta.Name!, new DeleteOptions
            {
                GracePeriodSeconds = 0,
                Preconditions = new Preconditions { Uid = meta.Uid },
            }, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
        }
    }
}
