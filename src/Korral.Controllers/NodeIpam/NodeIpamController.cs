using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.NodeIpam;

/// <summary>
/// kube-controller-manager's node IPAM controller with the range allocator (--allocate-node-cidrs): every node without
/// a pod CIDR gets the next free <c>/NodeCidrMaskSize</c> of the cluster CIDR in spec.podCIDR and spec.podCIDRs (a
/// patch); the CIDRs nodes already have are marked used as the informer delivers them (before any allocation, so a
/// restarted controller never hands out a CIDR in use); a deleted node's CIDR is freed. CIDRs outside the cluster
/// CIDR (simulated nodes choose their own) are left alone. When the range is full the node gets upstream's
/// <c>CIDRNotAvailable</c> event and waits, without polling, until a deleted node frees a CIDR.
/// </summary>
public sealed class NodeIpamController : IController
{
    public const string ControllerName = "nodeipam";

    /// <summary>Upstream's event reasons (nodeutil.RecordNodeStatusChange).</summary>
    public const string CidrNotAvailable = "CIDRNotAvailable";

    public const string CidrAssignmentFailed = "CIDRAssignmentFailed";

    private readonly ControllerContext _context;
    private readonly SharedInformer<Node> _nodes;
    private readonly IEventHandlerRegistration _registration;
    private readonly RateLimitingQueue<string> _queue;

    // Everything below is guarded by _lock; handlers and workers only touch it for bitmap-sized work, never across an await.
    private readonly Lock _lock = new();
    private readonly CidrSet _cidrs;
    private readonly Dictionary<string, IPNetwork> _owned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPNetwork> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public NodeIpamController(ControllerContext context, NodeIpamOptions? options = null)
    {
        _context = context;
        Options = options ?? new NodeIpamOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }

        CidrSet.TryParse(Options.ClusterCidr, out var cluster);
        _cidrs = new CidrSet(cluster, Options.NodeCidrMaskSize);
        _queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        _nodes = context.Informers.Informer<Node>();
        _registration = _nodes.AddEventHandler(onAdd: Observe, onUpdate: (_, node) => Observe(node), onDelete: Forget);
    }

    public string Name => ControllerName;

    public NodeIpamOptions Options { get; }

    /// <summary>How many node CIDRs of the cluster CIDR are in use, and how many there are.</summary>
    public (int Used, int Capacity) Usage
    {
        get
        {
            lock (_lock)
            {
                return (_cidrs.Used, _cidrs.Capacity);
            }
        }
    }

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            // The handler has seen the whole first list: every CIDR already in use is marked before the first allocation.
            await _registration.WaitForSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _queue.ShutDown();
            return;
        }

        _context.Log($"nodeipam: allocating /{Options.NodeCidrMaskSize} node CIDRs from {Options.ClusterCidr} ({Usage.Used} of {Usage.Capacity} in use)");
        await QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);
    }

    /// <summary>Assigns a CIDR to node <paramref name="name"/> if it still has none (what a worker runs).</summary>
    public async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Lister.Get(null, name);
        if (node is null || CidrsOf(node).Count > 0)
        {
            return;
        }

        IPNetwork cidr;
        bool full;
        lock (_lock)
        {
            if (_owned.ContainsKey(name))
            {
                return;   // assigned by this controller; the cache has not caught up yet
            }

            full = !_reserved.TryGetValue(name, out cidr) && !_cidrs.TryAllocateNext(out cidr);
            if (full)
            {
                _waiting.Add(name);
            }
            else
            {
                _reserved[name] = cidr;
            }
        }

        if (full)
        {
            _context.Log($"nodeipam: no CIDR left in {Options.ClusterCidr} for node {name}");
            _context.Events.Event(node, EventTypes.Normal, CidrNotAvailable, $"Node {name} status is now: {CidrNotAvailable}");
            return;
        }

        var text = cidr.ToString();
        try
        {
            await _context.Client.Resource<Node>().PatchAsync(null, name, PatchType.Merge,
                $$$"""{"spec":{"podCIDR":"{{{text}}}","podCIDRs":["{{{text}}}"]}}""", cancellationToken);
        }
        catch (KubeApiException e)
        {
            // The server answered: the CIDR is not on the node (gone, or given another CIDR meanwhile); hand it back.
            Unreserve(name, cidr);
            if (e.IsNotFound)
            {
                return;
            }

            _context.Events.Event(node, EventTypes.Normal, CidrAssignmentFailed, $"Node {name} status is now: {CidrAssignmentFailed}");
            throw;
        }

        // On a timeout or broken connection the reservation stays: the patch may have gone through, and the retry
        // (or the node's next update) reuses it rather than leaking a second CIDR.
        lock (_lock)
        {
            if (_reserved.Remove(name, out var reserved) && reserved == cidr)
            {
                _owned[name] = cidr;
            }
        }

        _context.Log($"nodeipam: set node {name} podCIDR {text}");
    }

    /// <summary>A node was added or changed: mark its CIDR used, or queue it for one.</summary>
    private void Observe(Node node)
    {
        var name = node.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var cidrs = CidrsOf(node);
        if (cidrs.Count == 0)
        {
            _queue.Add(name);
            return;
        }

        lock (_lock)
        {
            _waiting.Remove(name);
            if (_owned.ContainsKey(name))
            {
                return;
            }

            // Only the first CIDR counts: with one cluster CIDR upstream tracks only podCIDRs[0].
            var parsed = CidrSet.TryParse(cidrs[0], out var cidr);
            if (_reserved.Remove(name, out var reserved) && !(parsed && reserved == cidr))
            {
                _cidrs.Release(reserved);
            }

            if (parsed && _cidrs.Occupy(cidr))
            {
                _owned[name] = cidr;
            }
        }
    }

    /// <summary>A node was deleted: free its CIDR and retry the nodes that found the range full.</summary>
    private void Forget(Node node)
    {
        var name = node.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        List<string> retry;
        lock (_lock)
        {
            _waiting.Remove(name);
            var freed = false;
            if (_owned.Remove(name, out var owned))
            {
                freed = _cidrs.Release(owned);
            }

            if (_reserved.Remove(name, out var reserved))
            {
                freed |= _cidrs.Release(reserved);
            }

            retry = freed ? [.. _waiting] : [];
        }

        foreach (var waiting in retry)
        {
            _queue.Add(waiting);
        }
    }

    private void Unreserve(string name, IPNetwork cidr)
    {
        lock (_lock)
        {
            if (_reserved.TryGetValue(name, out var reserved) && reserved == cidr)
            {
                _reserved.Remove(name);
                _cidrs.Release(cidr);
            }
        }
    }

    private static IReadOnlyList<string> CidrsOf(Node node) =>
        node.Spec?.PodCIDRs is { Count: > 0 } list ? [.. list] :
        string.IsNullOrEmpty(node.Spec?.PodCIDR) ? [] : [node.Spec.PodCIDR];
}
