using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.DefaultPreemption;
using Korral.Scheduler.Tests.Fakes;
using static Korral.Scheduler.Tests.Plugins.DefaultPreemption.PreemptionObjects;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class DefaultPreemptionPluginTests
{
    private const string PodsPath = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task Preempts_only_the_lowest_priority_pods_needed_and_nominates_their_node()
    {
        var low = Pod("low", 1, "400m");
        var middle = Pod("middle", 2, "400m");
        var high = Pod("high", 20, "200m");
        await using var h = Handle([Node("n1", "1", low, middle, high)]);

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "400m"));

        Assert.Equal(("n1", StatusCode.Success), (node, status.Code));
        var requests = h.Api.Requests;
        Assert.Equal(2, requests.Count);
        Assert.StartsWith($"PATCH {PodsPath}/low/status ", requests[0], StringComparison.Ordinal);
        Assert.Contains(
            """{"lastTransitionTime":"2025-01-01T00:00:00Z","message":"default-scheduler: preempting to accommodate a higher priority pod","reason":"PreemptionByScheduler","status":"True","type":"DisruptionTarget"}""",
            requests[0], StringComparison.Ordinal);
        Assert.Equal($"DELETE {PodsPath}/low", requests[1]);
        Assert.Equal(["default/low Normal Preempted: Preempted by pod p-uid on node n1"], h.Recorder.Events);
    }

    [Theory]
    [InlineData("budget protects x", true, false, "y")]
    [InlineData("no budget: x started later, so it goes", false, false, "x")]
    [InlineData("x already counted as disrupted by its budget", true, true, "x")]
    public async Task Victims_protected_by_a_budget_are_reprieved_first(string why, bool withBudget, bool xAlreadyDisrupted, string victim)
    {
        _ = why;
        var x = Pod("x", 1, "500m", p => { Labelled("app", "x")(p); StartedAt(10)(p); });
        var y = Pod("y", 1, "500m", StartedAt(5));
        await using var h = Handle([Node("n1", "1", x, y)]);
        if (withBudget)
        {
            h.Informers.Informer<PodDisruptionBudget>().Indexer.Upsert(Budget("pdb", "x", 0, disruptedPods: xAlreadyDisrupted ? ["x"] : []));
        }

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "500m"));

        Assert.Equal(("n1", StatusCode.Success), (node, status.Code));
        Assert.Equal([$"DELETE {PodsPath}/{victim}"], h.Api.Requests.Where(r => r.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_node_whose_victims_break_no_budget_wins_over_one_with_less_important_victims()
    {
        var protectedPod = Pod("protected", 1, "1", Labelled("app", "web"));
        var other = Pod("other", 5, "1");
        await using var h = Handle([Node("n1", "1", protectedPod), Node("n2", "1", other)]);
        h.Informers.Informer<PodDisruptionBudget>().Indexer.Upsert(Budget("web", "web", 0));

        var (node, _) = await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Equal("n2", node);
        Assert.Contains($"DELETE {PodsPath}/other", h.Api.Requests);
    }

    [Fact]
    public async Task A_pod_that_never_preempts_is_not_eligible()
    {
        await using var h = Handle([Node("n1", "1", Pod("low", 1, "1"))]);

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "1", p => p.Spec!.PreemptionPolicy = "Never"));

        Assert.Null(node);
        Assert.Equal(StatusCode.Unschedulable, status.Code);
        Assert.Equal("preemption: not eligible due to preemptionPolicy=Never.", status.Message);
        Assert.Empty(h.Api.Requests);
    }

    [Theory]
    [InlineData("victim of its last preemption still terminating", true, 1, false, "preemption: not eligible due to a terminating pod on the nominated node.")]
    [InlineData("nominated node is now unresolvable", true, 1, true, "")]
    [InlineData("terminating for another reason", false, 1, false, "")]
    [InlineData("terminating pod is not of lower priority", true, 50, false, "")]
    public async Task A_pod_waits_for_the_victims_on_its_nominated_node(string why, bool byPreemption, int terminatingPriority, bool nominatedUnresolvable,
        string expected)
    {
        _ = why;
        var terminating = Pod("terminating", terminatingPriority, "1", Terminating(byPreemption));
        var labels = nominatedUnresolvable ? new Dictionary<string, string> { [CpuFitFilter.UnresolvableLabel] = "" } : null;
        await using var h = Handle([Node("n1", "1", labels, terminating), Node("n2", "1", Pod("low", 1, "1"))]);

        var (_, status) = await PreemptAsync(h, Pod("p", 10, "1", p => p.Status!.NominatedNodeName = "n1"));

        Assert.Equal(expected, status.Message);
        Assert.Equal(expected.Length == 0 ? StatusCode.Success : StatusCode.Unschedulable, status.Code);
    }

    [Theory]
    [InlineData("every node rejected for good", "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")]
    [InlineData("nothing of lower priority anywhere", "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")]
    [InlineData("one rejected for good, two without victims",
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")]
    [InlineData("too small even when emptied", "preemption: 0/1 nodes are available: 1 Insufficient cpu.")]
    public async Task When_preemption_cannot_help_the_message_counts_the_reasons_per_node_and_the_nomination_is_cleared(string scenario, string expected)
    {
        NodeInfo[] nodes = scenario switch
        {
            "every node rejected for good" => [Unresolvable("n1"), Unresolvable("n2"), Unresolvable("n3")],
            "nothing of lower priority anywhere" => [Node("n1", "1", Pod("a", 10, "1")), Node("n2", "1", Pod("b", 50, "1")), Node("n3", "1", Pod("c", 10, "1"))],
            "one rejected for good, two without victims" => [Unresolvable("n1"), Node("n2", "1", Pod("b", 50, "1")), Node("n3", "1", Pod("c", 10, "1"))],
            _ => [Node("n1", "500m", Pod("a", 1, "100m"))],
        };
        await using var h = Handle(nodes);

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Equal(("", StatusCode.Unschedulable, expected), (node, status.Code, status.Message));
        Assert.Empty(h.Api.Requests);
    }

    [Fact]
    public async Task Victims_already_terminating_are_left_alone_and_victims_waiting_at_permit_are_rejected()
    {
        var terminating = Pod("terminating", 1, "300m", Terminating(byPreemption: false));
        var waiting = Pod("waiting", 1, "300m");
        var running = Pod("running", 1, "400m");
        await using var h = Handle([Node("n1", "1", terminating, waiting, running)]);
        h.Waiting.Add(waiting.Uid);

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Equal(("n1", StatusCode.Success), (node, status.Code));
        Assert.Equal(["reject waiting-uid by DefaultPreemption: preempted"], h.Waiting.Decisions);
        Assert.Equal([$"PATCH {PodsPath}/running/status", $"DELETE {PodsPath}/running"], h.Api.Requests.Select(r => string.Join(' ', r.Split(' ').Take(2))));
        Assert.Equal(
            ["default/running Normal Preempted: Preempted by pod p-uid on node n1", "default/waiting Normal Preempted: Preempted by pod p-uid on node n1"],
            h.Recorder.Events.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_victim_already_marked_by_preemption_is_only_deleted()
    {
        var marked = Pod("marked", 1, "1", p => p.Status!.Conditions =
        [
            new PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler", Message = "default-scheduler: preempting to accommodate a higher priority pod" },
        ]);
        await using var h = Handle([Node("n1", "1", marked)]);

        await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Equal([$"DELETE {PodsPath}/marked"], h.Api.Requests);
    }

    [Fact]
    public async Task Lower_priority_pods_nominated_to_the_node_lose_their_nomination()
    {
        await using var h = Handle([Node("n1", "1", Pod("low", 1, "1"))]);
        h.Nominations.AddNominatedPod(Pod("nominated-lower", 5, "0", p => p.Status!.NominatedNodeName = "n1"), "n1");
        h.Nominations.AddNominatedPod(Pod("nominated-higher", 50, "0", p => p.Status!.NominatedNodeName = "n1"), "n1");
        h.Nominations.AddNominatedPod(Pod("elsewhere", 1, "0", p => p.Status!.NominatedNodeName = "n2"), "n2");

        var (node, _) = await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Equal("n1", node);
        Assert.Equal($"PATCH {PodsPath}/nominated-lower/status " + """{"status":{"nominatedNodeName":null}}""", h.Api.Requests[^1]);
        Assert.DoesNotContain(h.Api.Requests, r => r.Contains("nominated-higher", StringComparison.Ordinal) || r.Contains("elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_victim_that_is_already_gone_counts_as_preempted()
    {
        await using var h = Handle([Node("n1", "1", Pod("gone", 1, "1"))]);
        h.Api.Failures[$"{PodsPath}/gone"] = HttpStatusCode.NotFound;

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Equal(("n1", StatusCode.Success), (node, status.Code));
        Assert.Empty(h.Recorder.Events);
    }

    [Fact]
    public async Task A_failed_deletion_fails_the_preemption_without_a_nomination()
    {
        await using var h = Handle([Node("n1", "1", Pod("stuck", 1, "1"))]);
        h.Api.Failures[$"{PodsPath}/stuck"] = HttpStatusCode.InternalServerError;

        var (node, status) = await PreemptAsync(h, Pod("p", 10, "1"));

        Assert.Null(node);
        Assert.Equal(StatusCode.Error, status.Code);
        Assert.StartsWith("preemption: ", status.Message, StringComparison.Ordinal);
        Assert.Empty(h.Recorder.Events);
    }

    [Fact]
    public async Task Victims_are_removed_through_the_prefilter_extensions_on_copies_of_the_cycle_state()
    {
        var blocker = new BlockerPlugin();
        var b1 = Pod("b1", 1, "0", Labelled("role", "blocker"));
        var b2 = Pod("b2", 100, "0", Labelled("role", "blocker"));
        await using var h = new FakeFrameworkHandle([Node("n1", "4", b1), Node("n2", "4", b2)], blocker, new CpuFitFilter());
        var pod = Pod("p", 10, "1");
        var state = h.PreFilter(pod);
        var statuses = h.FilterAll(state, pod);

        var (node, status) = await NewPlugin(h).PostFilterAsync(state, pod, statuses, CancellationToken.None);

        Assert.Equal(("n1", StatusCode.Success), (node, status.Code));
        Assert.Contains($"DELETE {PodsPath}/b1", h.Api.Requests);
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 1, ["n2"] = 1 }, state.Read<BlockerPlugin.Counts>(BlockerPlugin.StateKey)!.ByNode);
    }

    [Fact]
    public async Task The_search_stops_once_it_has_enough_candidates()
    {
        var nodes = Enumerable.Range(0, 300).Select(i => Node($"n{i}", "1", Pod($"low{i}", 1, "1"))).ToArray();
        var fit = new CpuFitFilter();
        await using var h = new FakeFrameworkHandle(nodes, fit);
        var pod = Pod("p", 10, "1");
        var state = h.PreFilter(pod);
        var statuses = h.FilterAll(state, pod);
        fit.Reset();

        var (node, status) = await NewPlugin(h).PostFilterAsync(state, pod, statuses, CancellationToken.None);

        Assert.Equal(StatusCode.Success, status.Code);
        Assert.True(fit.NodesSeen.ContainsKey(node!));

        // 300 potential nodes: max(10% = 30, 100) = 100 candidates are enough.
        Assert.InRange(fit.NodesSeen.Count, 100, 299);
    }

    [Theory]
    [InlineData("nodes rejected for good", true)]
    [InlineData("nodes full of pods that are not of lower priority", false)]
    public async Task Nothing_to_preempt_on_5000_nodes_costs_no_filter_runs(string why, bool unresolvable)
    {
        _ = why;
        var nodes = Enumerable.Range(0, 5000)
            .Select(i => unresolvable ? Unresolvable($"n{i}") : Node($"n{i}", "1", Pod($"busy{i}", 10, "1")))
            .ToArray();
        var fit = new CpuFitFilter();
        await using var h = new FakeFrameworkHandle(nodes, fit);
        var pod = Pod("p", 10, "1");
        var state = h.PreFilter(pod);
        var statuses = h.FilterAll(state, pod);
        fit.Reset();
        var clones = new CloneCounter();
        state.Write("test/clones", clones);

        var started = TimeProvider.System.GetTimestamp();
        var (_, status) = await NewPlugin(h).PostFilterAsync(state, pod, statuses, CancellationToken.None);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(
            unresolvable
                ? "preemption: 0/5000 nodes are available: 5000 Preemption is not helpful for scheduling."
                : "preemption: 0/5000 nodes are available: 5000 No preemption victims found for incoming pod.",
            status.Message);
        Assert.Equal(0, fit.Calls);
        Assert.Equal(0, clones.Clones);

        // A pass over 5,000 nodes takes milliseconds; the bound only catches per-node cloning or filtering creeping back.
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed}");
    }

    private static NodeInfo Unresolvable(string name) =>
        Node(name, "1", new Dictionary<string, string> { [CpuFitFilter.UnresolvableLabel] = "" });

    private static FakeFrameworkHandle Handle(NodeInfo[] nodes) => new(nodes, new CpuFitFilter());

    private static DefaultPreemptionPlugin NewPlugin(FakeFrameworkHandle h) => new(h, offset: _ => 0);

    /// <summary>Plays the cycle up to PostFilter (PreFilter, Filter on every node), then preempts.</summary>
    private static async Task<(string? Node, Status Status)> PreemptAsync(FakeFrameworkHandle h, PodInfo pod)
    {
        var state = h.PreFilter(pod);
        var statuses = h.FilterAll(state, pod);
        return await NewPlugin(h).PostFilterAsync(state, pod, statuses, CancellationToken.None);
    }

    /// <summary>Cycle state that counts how often preemption copies the state (once per node it simulates).</summary>
    private sealed class CloneCounter : IStateData
    {
        private int _clones;

        public int Clones => Volatile.Read(ref _clones);

        public IStateData Clone()
        {
            Interlocked.Increment(ref _clones);
            return this;
        }
    }
}
