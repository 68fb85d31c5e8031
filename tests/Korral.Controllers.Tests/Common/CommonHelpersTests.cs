using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Controllers.Common;
using Korral.Controllers.Deployments;

namespace Korral.Controllers.Tests.Common;

public sealed class CommonHelpersTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("25%", "25%", 10, 3, 2)]   // surge rounds up, unavailable down
    [InlineData("0", "0", 5, 0, 1)]        // both zero: unavailable 1
    [InlineData("0%", "0%", 3, 0, 1)]
    [InlineData("1", "0", 3, 1, 0)]
    [InlineData("50%", "10%", 3, 2, 0)]
    public void Fenceposts_round_surge_up_and_unavailable_down(string surge, string unavailable, int replicas, int expectedSurge, int expectedUnavailable)
    {
        static IntOrString P(string s) => s.EndsWith('%') ? IntOrString.FromString(s) : IntOrString.FromInt(int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((expectedSurge, expectedUnavailable), DeploymentUtil.ResolveFenceposts(P(surge), P(unavailable), replicas));
    }

    [Fact]
    public void Template_hash_is_stable_uses_the_safe_alphabet_and_changes_with_the_template_and_collision_count()
    {
        static PodTemplateSpec T(string image) => new()
        {
            Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = image }] },
        };

        var h = PodTemplateHash.Compute(T("nginx:1"), null);
        Assert.Equal(h, PodTemplateHash.Compute(T("nginx:1"), null));
        Assert.InRange(h.Length, 1, 10);
        Assert.All(h, ch => Assert.Contains(ch, PodTemplateHash.Alphabet));
        Assert.NotEqual(h, PodTemplateHash.Compute(T("nginx:2"), null));
        Assert.NotEqual(h, PodTemplateHash.Compute(T("nginx:1"), 1));
        Assert.Equal("4567", PodTemplateHash.SafeEncode("0123"));   // '0' is 48: 48 % 27 = 21 → '4'
    }

    [Fact]
    public void Proportional_scaling_shares_the_difference_by_size_and_gives_the_leftover_to_the_largest()
    {
        var d = new Api.Models.AppsV1.Deployment
        {
            Spec = new Api.Models.AppsV1.DeploymentSpec
            {
                Replicas = 15,
                Strategy = new Api.Models.AppsV1.DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new Api.Models.AppsV1.RollingUpdateDeployment { MaxSurge = 3, MaxUnavailable = 2 } },
            },
        };
        Api.Models.AppsV1.ReplicaSet Rs(string name, int replicas, int second) => new()
        {
            Metadata = new ObjectMeta
            {
                Name = name, CreationTimestamp = Now.AddSeconds(second),
                Annotations = new Dictionary<string, string> { [DeploymentUtil.MaxReplicasAnnotation] = "13" },
            },
            Spec = new Api.Models.AppsV1.ReplicaSetSpec { Replicas = replicas },
        };
        var old = Rs("old", 8, 0);
        var @new = Rs("new", 3, 1);

        var sizes = DeploymentUtil.ProportionalSizes(d, [old, @new], out var operation);

        Assert.Equal("up", operation);
        Assert.Equal((14, 4), (sizes[old], sizes[@new]));

        d.Spec.Replicas = 5; // 8 allowed for 11: down
        sizes = DeploymentUtil.ProportionalSizes(d, [old, @new], out operation);
        Assert.Equal("down", operation);
        Assert.Equal(8 + 3 - 3, sizes[old] + sizes[@new]);
    }

    [Fact]
    public void Expectations_are_satisfied_when_observed_or_expired()
    {
        var time = new ManualTime(Now);
        var e = new ControllerExpectations(time);
        Assert.True(e.Satisfied("k"));
        e.ExpectCreations("k", 2);
        Assert.False(e.Satisfied("k"));
        e.CreationObserved("k");
        Assert.False(e.Satisfied("k"));
        e.CreationObserved("k");
        Assert.True(e.Satisfied("k"));

        e.ExpectDeletions("k", ["ns/a", "ns/b"]);
        e.DeletionObserved("k", "ns/a");
        e.DeletionObserved("k", "ns/a"); // the same pod twice counts once
        Assert.False(e.Satisfied("k"));
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.True(e.Satisfied("k"));
    }

    [Fact]
    public async Task Slow_start_runs_batches_of_1_2_4_and_stops_after_a_failing_batch()
    {
        var calls = 0;
        var (ok, error) = await SlowStart.BatchAsync(20, 1, () => Interlocked.Increment(ref calls) > 7 ? throw new InvalidOperationException("no") : Task.CompletedTask);
        Assert.Equal(15, calls);   // 1 + 2 + 4 + 8 (the batch of 8 fails)
        Assert.Equal(7, ok);
        Assert.IsType<InvalidOperationException>(error);

        calls = 0;
        (ok, error) = await SlowStart.BatchAsync(5, 1, () => { Interlocked.Increment(ref calls); return Task.CompletedTask; });
        Assert.Equal((5, 5, null), (calls, ok, error));
    }

    [Fact]
    public void Ranking_orders_pods_for_deletion()
    {
        Pod P(string name, string? node, string phase, bool ready, int restarts = 0, int readySecondsAgo = 3600, int createdSecondsAgo = 7200) => new()
        {
            Metadata = new ObjectMeta { Name = name, Uid = name, CreationTimestamp = Now.AddSeconds(-createdSecondsAgo) },
            Spec = new PodSpec { NodeName = node },
            Status = new PodStatus
            {
                Phase = phase,
                Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now.AddSeconds(-readySecondsAgo) }],
                ContainerStatuses = [new ContainerStatus { Name = "c", RestartCount = restarts }],
            },
        };

        var pods = new List<Pod>
        {
            P("old-ready", "n1", "Running", true),
            P("crashy", "n2", "Running", true, restarts: 5),
            P("fresh-ready", "n3", "Running", true, readySecondsAgo: 10),
            P("running-not-ready", "n4", "Running", false),
            P("unknown", "n5", "Unknown", false),
            P("pending", "n6", "Pending", false),
            P("unscheduled", null, "Pending", false),
            P("crowded", "n7", "Running", true),
        };
        var related = new List<Pod>(pods) { P("neighbour", "n7", "Running", true) };
        var ranking = new ActivePodsRanking(ActivePodsRanking.RankByRelatedPodsOnSameNode(pods, related), Now);

        Assert.Equal(["unscheduled", "pending", "unknown", "running-not-ready", "crowded", "fresh-ready", "crashy", "old-ready"],
            pods.Order(ranking).Select(p => p.Metadata!.Name));
    }
}
