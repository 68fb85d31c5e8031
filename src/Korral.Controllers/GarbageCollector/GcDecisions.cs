using Korral.Api.Models.MetaV1;

namespace Korral.Controllers.GarbageCollector;

/// <summary>The finalizers and propagation policies the garbage collector works with.</summary>
public static class GcNames
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string Background = "Background";
    public const string Foreground = "Foreground";
    public const string Orphan = "Orphan";
}

/// <summary>One object in the ownership graph: where it is, its uid, owners, and deletion state.</summary>
public sealed record GcNode(string Resource, string? Namespace, string Name, string Uid, IReadOnlyList<OwnerReference> Owners,
    bool Deleting, IReadOnlyList<string> Finalizers)
{
    public bool HasFinalizer(string name) => Finalizers.Contains(name);

    /// <summary>The reference of this node to <paramref name="ownerUid"/>, if any.</summary>
    public OwnerReference? OwnerRef(string ownerUid) => Owners.FirstOrDefault(o => o.Uid == ownerUid);

    public static GcNode Of(string resource, PartialObject obj)
    {
        var meta = obj.Metadata ?? new ObjectMeta();
        return new GcNode(resource, string.IsNullOrEmpty(meta.Namespace) ? null : meta.Namespace, meta.Name ?? "", meta.Uid ?? "",
            meta.OwnerReferences is { } owners ? [.. owners] : [], meta.DeletionTimestamp is not null,
            meta.Finalizers is { } finalizers ? [.. finalizers] : []);
    }

    public override string ToString() => $"{Resource} {(Namespace is null ? "" : Namespace + "/")}{Name} ({Uid})";
}

/// <summary>What an owner reference points at, as the collector found it.</summary>
public enum OwnerState
{
    /// <summary>The owner exists (or cannot be resolved: never collect on a doubt).</summary>
    Solid,

    /// <summary>No object with the reference's uid exists (checked live): the reference is dangling.</summary>
    Dangling,

    /// <summary>The owner is being deleted in the foreground: it waits for its dependents to go.</summary>
    WaitingForDependents,
}

/// <summary>What to do about one node (computed by <see cref="GcDecisions.Plan"/>; carried out by the controller).</summary>
public sealed record GcPlan
{
    public static readonly GcPlan Nothing = new();

    /// <summary>Delete the node itself with this propagation policy.</summary>
    public string? DeleteWithPolicy { get; init; }

    /// <summary>Remove the node's references to these owner uids (the node stays: it has other, solid owners).</summary>
    public IReadOnlyList<string> RemoveOwnerRefs { get; init; } = [];

    /// <summary>Remove the reference to the node from each of these dependents (orphaning).</summary>
    public IReadOnlyList<GcNode> Unlink { get; init; } = [];

    /// <summary>Process these dependents (they will be deleted: their owner waits for them).</summary>
    public IReadOnlyList<GcNode> Enqueue { get; init; } = [];

    /// <summary>Remove this finalizer from the node (after <see cref="Unlink"/>).</summary>
    public string? RemoveFinalizer { get; init; }

    public bool IsNothing => DeleteWithPolicy is null && RemoveOwnerRefs.Count == 0 && Unlink.Count == 0 && Enqueue.Count == 0 &&
        RemoveFinalizer is null;

    public override string ToString()
    {
        var parts = new List<string>();
        if (DeleteWithPolicy is { } p)
        {
            parts.Add($"delete {p}");
        }

        if (RemoveOwnerRefs.Count > 0)
        {
            parts.Add($"remove owner refs {string.Join(",", RemoveOwnerRefs)}");
        }

        if (Unlink.Count > 0)
        {
            parts.Add($"unlink {string.Join(",", Unlink.Select(n => n.Name))}");
        }

        if (Enqueue.Count > 0)
        {
            parts.Add($"enqueue {string.Join(",", Enqueue.Select(n => n.Name))}");
        }

        if (RemoveFinalizer is { } f)
        {
            parts.Add($"remove finalizer {f}");
        }

        return parts.Count == 0 ? "nothing" : string.Join("; ", parts);
    }
}

/// <summary>
/// The collector's rules, without I/O: given a node, the state of each of its owners and its dependents (objects that
/// reference it), what to do. Upstream's attemptToDeleteItem / orphanDependents / processDeletingDependents, as behaviour:
/// <list type="bullet">
/// <item>a node being deleted with the <c>orphan</c> finalizer: unlink every dependent, then drop the finalizer;</item>
/// <item>a node being deleted with <c>foregroundDeletion</c>: while dependents that block it (blockOwnerDeletion) remain,
/// have the ones not yet being deleted processed (deleted); when none remain, drop the finalizer;</item>
/// <item>any other node being deleted: nothing (its deletion is under way);</item>
/// <item>a node with at least one solid owner: only drop references to dangling owners and to owners waiting for
/// dependents (it is not collected, so it must not hold them up);</item>
/// <item>a node whose owners are all dangling or waiting: delete it, in the foreground when an owner waits and the node
/// has dependents itself (so the wait extends down the chain), otherwise in the background.</item>
/// </list>
/// </summary>
public static class GcDecisions
{
    public static GcPlan Plan(GcNode node, IReadOnlyDictionary<string, OwnerState> owners, IReadOnlyList<GcNode> dependents)
    {
        if (node.Deleting)
        {
            if (node.HasFinalizer(GcNames.OrphanFinalizer))
            {
                return new GcPlan { Unlink = [.. dependents.Where(d => d.OwnerRef(node.Uid) is not null)], RemoveFinalizer = GcNames.OrphanFinalizer };
            }

            if (node.HasFinalizer(GcNames.ForegroundFinalizer))
            {
                var blocking = dependents.Where(d => d.OwnerRef(node.Uid) is { BlockOwnerDeletion: true }).ToList();
                if (blocking.Count == 0)
                {
                    return new GcPlan { RemoveFinalizer = GcNames.ForegroundFinalizer };
                }

                return new GcPlan { Enqueue = [.. blocking.Where(d => !d.Deleting)] };
            }

            return GcPlan.Nothing;
        }

        if (node.Owners.Count == 0)
        {
            return GcPlan.Nothing;
        }

        var solid = new List<string>();
        var notSolid = new List<string>();
        var waiting = false;
        foreach (var owner in node.Owners)
        {
            var uid = owner.Uid ?? "";
            switch (owners.GetValueOrDefault(uid, OwnerState.Solid))
            {
                case OwnerState.Solid:
                    solid.Add(uid);
                    break;
                case OwnerState.WaitingForDependents:
                    waiting = true;
                    notSolid.Add(uid);
                    break;
                default:
                    notSolid.Add(uid);
                    break;
            }
        }

        if (solid.Count > 0)
        {
            return notSolid.Count == 0 ? GcPlan.Nothing : new GcPlan { RemoveOwnerRefs = notSolid };
        }

        var policy = waiting && dependents.Any(d => d.OwnerRef(node.Uid) is not null) ? GcNames.Foreground : GcNames.Background;
        return new GcPlan { DeleteWithPolicy = policy };
    }
}
