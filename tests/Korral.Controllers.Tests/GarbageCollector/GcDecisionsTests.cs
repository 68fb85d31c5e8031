using Korral.Api.Models.MetaV1;
using Korral.Controllers.GarbageCollector;

namespace Korral.Controllers.Tests.GarbageCollector;

/// <summary>The collector's rules, table-driven: a node, its owners' states, its dependents → the plan.</summary>
public sealed class GcDecisionsTests
{
    private static OwnerReference Ref(string uid, bool block = false, string kind = "ReplicaSet") =>
        new() { ApiVersion = "apps/v1", Kind = kind, Name = "owner-" + uid, Uid = uid, BlockOwnerDeletion = block, Controller = true };

    private static GcNode Node(string name, OwnerReference[]? owners = null, bool deleting = false, params string[] finalizers) =>
        new("configmaps", "ns", name, "uid-" + name, owners ?? [], deleting, finalizers);

    private static Dictionary<string, OwnerState> States(params (string Uid, OwnerState State)[] states) =>
        states.ToDictionary(s => s.Uid, s => s.State);

    private sealed record Case(GcNode Node, Dictionary<string, OwnerState> Owners, GcNode[] Dependents, string Expected);

    private sealed class CaseTable : Dictionary<string, Case>
    {
        public void Add(string name, GcNode node, Dictionary<string, OwnerState> owners, GcNode[] dependents, string expected) =>
            Add(name, new Case(node, owners, dependents, expected));
    }

    private static readonly CaseTable Table = new()
    {
        // Background: an owner is gone → its dependents go, in the background.
        { "pod of a deleted replicaset", Node("pod", [Ref("rs")]), States(("rs", OwnerState.Dangling)), [], "delete Background" },
        { "pod of a live replicaset", Node("pod", [Ref("rs")]), States(("rs", OwnerState.Solid)), [], "nothing" },
        { "object without owners", Node("cm"), States(), [], "nothing" },
        { "owner that never existed", Node("cm", [Ref("ghost")]), States(("ghost", OwnerState.Dangling)), [], "delete Background" },
        { "owner of an unknown kind is kept", Node("cm", [Ref("crd", kind: "Widget")]), States(), [], "nothing" },

        // Multiple owners: collected only when all are gone; dangling references are dropped meanwhile.
        { "one of two owners gone", Node("pod", [Ref("a"), Ref("b")]), States(("a", OwnerState.Dangling), ("b", OwnerState.Solid)), [],
            "remove owner refs a" },
        { "both owners gone", Node("pod", [Ref("a"), Ref("b")]), States(("a", OwnerState.Dangling), ("b", OwnerState.Dangling)), [],
            "delete Background" },
        { "one owner waiting, one solid", Node("pod", [Ref("a", block: true), Ref("b")]),
            States(("a", OwnerState.WaitingForDependents), ("b", OwnerState.Solid)), [], "remove owner refs a" },

        // Foreground, seen from a dependent: the owner waits → the dependent goes; in the foreground when it has
        // dependents of its own (deployment → replicaset → pods), so the wait runs down the chain.
        { "replicaset of a deployment deleted in the foreground", Node("rs", [Ref("deploy", block: true)]),
            States(("deploy", OwnerState.WaitingForDependents)), [Node("pod1", [Ref("uid-rs", block: true)])], "delete Foreground" },
        { "pod of a replicaset deleted in the foreground", Node("pod", [Ref("rs", block: true)]),
            States(("rs", OwnerState.WaitingForDependents)), [], "delete Background" },

        // Foreground, seen from the owner.
        { "foreground owner with blocking dependents", Node("rs", deleting: true, finalizers: GcNames.ForegroundFinalizer), States(),
            [Node("pod1", [Ref("uid-rs", block: true)]), Node("pod2", [Ref("uid-rs", block: true)], deleting: true)], "enqueue pod1" },
        { "foreground owner whose blocking dependents are all going", Node("rs", deleting: true, finalizers: GcNames.ForegroundFinalizer),
            States(), [Node("pod1", [Ref("uid-rs", block: true)], deleting: true)], "nothing" },
        { "foreground owner with only non-blocking dependents", Node("rs", deleting: true, finalizers: GcNames.ForegroundFinalizer), States(),
            [Node("pod1", [Ref("uid-rs", block: false)])], "remove finalizer foregroundDeletion" },
        { "foreground owner without dependents", Node("rs", deleting: true, finalizers: GcNames.ForegroundFinalizer), States(), [],
            "remove finalizer foregroundDeletion" },

        // Orphan: unlink every dependent, then drop the finalizer.
        { "orphaning owner", Node("rs", deleting: true, finalizers: GcNames.OrphanFinalizer), States(),
            [Node("pod1", [Ref("uid-rs", block: true)]), Node("pod2", [Ref("uid-rs"), Ref("other")])], "unlink pod1,pod2; remove finalizer orphan" },
        { "orphaning owner without dependents", Node("rs", deleting: true, finalizers: GcNames.OrphanFinalizer), States(), [],
            "remove finalizer orphan" },

        // Anything else being deleted is not the collector's business.
        { "object being deleted with other finalizers", Node("pod", [Ref("rs")], deleting: true, "example.com/keep"),
            States(("rs", OwnerState.Dangling)), [], "nothing" },
    };

    public static TheoryData<string> Cases => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans(string name)
    {
        var (node, owners, dependents, expected) = Table[name];
        var plan = GcDecisions.Plan(node, owners, dependents);
        Assert.True(expected == plan.ToString(), $"{name}: expected \"{expected}\", planned \"{plan}\"");
    }

    [Fact]
    public void Chain_deployment_replicaset_pods_collects_level_by_level()
    {
        // deploy → rs → pod1, pod2 (all blockOwnerDeletion, as controllers write them). The deployment is deleted
        // in the background: the graph replays what the controller sees at each step.
        var rs = Node("rs", [Ref("deploy", block: true)]);
        var pods = new[] { Node("pod1", [Ref("uid-rs", block: true)]), Node("pod2", [Ref("uid-rs", block: true)]) };

        // The deployment is gone: the replicaset goes in the background.
        Assert.Equal("delete Background", GcDecisions.Plan(rs, States(("deploy", OwnerState.Dangling)), pods).ToString());

        // Then the replicaset is gone: each pod goes.
        foreach (var pod in pods)
        {
            Assert.Equal("delete Background", GcDecisions.Plan(pod, States(("uid-rs", OwnerState.Dangling)), []).ToString());
        }
    }

    [Fact]
    public void Plan_lists_dependents_to_unlink_only_if_they_reference_the_owner()
    {
        var owner = Node("rs", deleting: true, finalizers: GcNames.OrphanFinalizer);
        var plan = GcDecisions.Plan(owner, States(), [Node("mine", [Ref("uid-rs")]), Node("not-mine", [Ref("other")])]);
        Assert.Equal(["mine"], plan.Unlink.Select(n => n.Name));
    }
}
