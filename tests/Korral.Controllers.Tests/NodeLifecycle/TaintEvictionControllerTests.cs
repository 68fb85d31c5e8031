using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Client.Tests.Fixtures;
using Korral.Controllers.NodeLifecycle;
using Korral.Controllers.Tests.Common;
using static Korral.Controllers.Tests.NodeLifecycle.NodeFixtures;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>The taint eviction controller over seeded caches, a fake deleter and fake time.</summary>
public sealed class TaintEvictionControllerTests
{
    private const string Unreachable = "node.kubernetes.io/unreachable";
    private const string NotReady = "node.kubernetes.io/not-ready";

    private readonly FakeTimeProvider _time = new();
    private readonly Indexer<Node> _nodes = new();
    private readonly Indexer<Pod> _pods = new();
    private readonly RecordingEvents _events = new();
    private readonly FakeTaintEvictionWriter _writer;
    private readonly TaintEvictionController _controller;

    public TaintEvictionControllerTests()
    {
        _writer = new FakeTaintEvictionWriter(_time);
        _controller = new TaintEvictionController(_nodes, _pods, _writer, _events, _time, _ => { });
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private void Taint(string node, params string[] noExecuteKeys) =>
        _nodes.Upsert(NewNode(node, Now, Now, taints: noExecuteKeys.Select(k => NewTaint(k, "NoExecute", Now))));

    private Task NodeChangedAsync(string node) => _controller.HandleNodeAsync(node, CancellationToken.None);

    private Task PodChangedAsync(string pod) => _controller.HandlePodAsync($"ns/{pod}", CancellationToken.None);

    /// <summary>Runs every eviction the queue has handed out (as the workers would), then returns who was evicted.</summary>
    private async Task<List<string>> RunDueEvictionsAsync()
    {
        while (_controller.Evictions.Count > 0)
        {
            var (key, _) = await _controller.Evictions.GetAsync(CancellationToken.None);
            try
            {
                await _controller.EvictAsync(key, CancellationToken.None);
            }
            finally
            {
                _controller.Evictions.Done(key);
            }
        }

        return _writer.Evicted.Select(e => e.Pod).ToList();
    }

    private async Task AdvanceAsync(double seconds)
    {
        _time.Advance(TimeSpan.FromSeconds(seconds));
        await RunDueEvictionsAsync();
    }

    [Fact]
    public async Task A_pod_that_does_not_tolerate_a_NoExecute_taint_is_deleted_at_once()
    {
        _pods.Upsert(NewPod("web", "n1"));
        Taint("n1", "example.com/evict");

        await NodeChangedAsync("n1");

        Assert.Equal(["ns/web"], await RunDueEvictionsAsync());
        Assert.Contains("Normal TaintManagerEviction Marking for deletion Pod ns/web", _events.Lines);
    }

    [Theory]
    [InlineData(300L, 299.0, false)]
    [InlineData(300L, 300.0, true)]
    [InlineData(5L, 5.0, true)]
    [InlineData(0L, 0.0, true)]
    [InlineData(-1L, 0.0, true)]
    public async Task A_pod_tolerating_for_a_while_is_deleted_when_its_toleration_seconds_have_passed(long seconds, double after, bool deleted)
    {
        _pods.Upsert(NewPod("web", "n1", tolerations: [Tolerate(NotReady, seconds), Tolerate(Unreachable, seconds)]));
        Taint("n1", Unreachable);
        await NodeChangedAsync("n1");
        await RunDueEvictionsAsync();

        await AdvanceAsync(after);

        Assert.Equal(deleted, _writer.Evicted.Count == 1);
    }

    [Fact]
    public async Task The_smallest_toleration_seconds_of_the_tolerations_used_counts()
    {
        _pods.Upsert(NewPod("web", "n1", tolerations: [Tolerate(NotReady, 30), Tolerate(Unreachable, 300), Tolerate("example.com/other", 1)]));
        Taint("n1", Unreachable, NotReady);
        await NodeChangedAsync("n1");

        await AdvanceAsync(29);
        Assert.Empty(_writer.Evicted);
        await AdvanceAsync(1);
        Assert.Equal(["ns/web"], _writer.Evicted.Select(e => e.Pod));
    }

    [Fact]
    public async Task A_pod_tolerating_forever_stays()
    {
        _pods.Upsert(NewPod("agent", "n1", tolerations: [new Toleration { Operator = "Exists" }]));
        Taint("n1", Unreachable, "example.com/evict");
        await NodeChangedAsync("n1");

        await AdvanceAsync(3600);

        Assert.Empty(_writer.Evicted);
        Assert.Null(_controller.ScheduledFor("ns/agent"));
    }

    [Fact]
    public async Task An_eviction_is_cancelled_when_the_taint_goes_away_in_time()
    {
        _pods.Upsert(NewPod("web", "n1", tolerations: [Tolerate(Unreachable, 300)]));
        Taint("n1", Unreachable);
        await NodeChangedAsync("n1");
        await AdvanceAsync(200);

        Taint("n1");
        await NodeChangedAsync("n1");
        await AdvanceAsync(200);

        Assert.Empty(_writer.Evicted);
        Assert.Contains("Normal TaintManagerEviction Cancelling deletion of Pod ns/web", _events.Lines);
    }

    [Fact]
    public async Task A_later_taint_change_keeps_the_first_schedule()
    {
        _pods.Upsert(NewPod("web", "n1", tolerations: [Tolerate(Unreachable, 300), Tolerate(NotReady, 300)]));
        Taint("n1", Unreachable);
        await NodeChangedAsync("n1");
        await AdvanceAsync(100);

        // The node controller swaps unreachable for not-ready: still tolerated, the eviction keeps its time.
        Taint("n1", NotReady);
        await NodeChangedAsync("n1");
        await AdvanceAsync(199);
        Assert.Empty(_writer.Evicted);
        await AdvanceAsync(1);
        Assert.Equal(_time.GetUtcNow(), Assert.Single(_writer.Evicted).At);
    }

    [Fact]
    public async Task A_pod_bound_to_a_tainted_node_and_a_pod_whose_tolerations_change_are_considered()
    {
        Taint("n1", Unreachable);
        await NodeChangedAsync("n1");

        _pods.Upsert(NewPod("late", "n1", tolerations: [Tolerate(Unreachable, 60)]));
        await PodChangedAsync("late");
        Assert.Equal(Now.AddSeconds(60), _controller.ScheduledFor("ns/late")!.FireAt);

        _pods.Upsert(NewPod("late", "n1", tolerations: [Tolerate(Unreachable, null)]));
        await PodChangedAsync("late");
        Assert.Null(_controller.ScheduledFor("ns/late"));
        await AdvanceAsync(120);
        Assert.Empty(_writer.Evicted);
    }

    [Fact]
    public async Task A_deleted_pod_has_its_eviction_cancelled()
    {
        _pods.Upsert(NewPod("web", "n1", tolerations: [Tolerate(Unreachable, 60)]));
        Taint("n1", Unreachable);
        await NodeChangedAsync("n1");

        _pods.Remove("ns/web");
        await PodChangedAsync("web");

        Assert.Null(_controller.ScheduledFor("ns/web"));
        await AdvanceAsync(120);
        Assert.Empty(_writer.Evicted);
    }

    [Fact]
    public async Task A_failed_deletion_is_retried_with_one_event()
    {
        _pods.Upsert(NewPod("web", "n1"));
        Taint("n1", Unreachable);
        _writer.Failures = 1;
        await NodeChangedAsync("n1");

        await Assert.ThrowsAsync<HttpRequestException>(RunDueEvictionsAsync);
        Assert.Empty(_writer.Evicted);
        Assert.True(_controller.ScheduledFor("ns/web")!.Fired);

        // The worker loop re-adds a failed key with backoff; here the test does it.
        await _controller.EvictAsync("ns/web", CancellationToken.None);
        Assert.Equal(["ns/web"], _writer.Evicted.Select(e => e.Pod));
        Assert.True(_controller.ScheduledFor("ns/web")!.Done);
        Assert.Single(_events.Lines, l => l.StartsWith("Normal TaintManagerEviction Marking", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("k", "Exists", null, "", "k", "v", "NoExecute", true)]
    [InlineData("k", "Equal", "v", "NoExecute", "k", "v", "NoExecute", true)]
    [InlineData("k", null, "v", "", "k", "v", "NoSchedule", true)]
    [InlineData("k", "Equal", "w", "", "k", "v", "NoExecute", false)]
    [InlineData("k", "Exists", null, "NoSchedule", "k", "v", "NoExecute", false)]
    [InlineData("", "Exists", null, "", "any", "v", "NoExecute", true)]
    [InlineData("k", "Exists", null, "", "other", "", "NoExecute", false)]
    [InlineData("k", "Lt", "1", "", "k", "0", "NoExecute", false)]
    public void Tolerations_match_taints_as_upstream(string key, string? op, string? value, string effect, string taintKey, string taintValue, string taintEffect,
        bool expected)
    {
        var toleration = new Toleration { Key = key, Operator = op, Value = value, Effect = effect };
        Assert.Equal(expected, Korral.Api.Models.TolerationMatching.Tolerates(toleration, new Taint { Key = taintKey, Value = taintValue, Effect = taintEffect }));
    }
}
