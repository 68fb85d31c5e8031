using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeResourcesBalancedAllocation;

namespace Korral.Scheduler.Tests.Plugins.NodeResourcesBalancedAllocation;

public sealed class NodeResourcesBalancedAllocationPluginTests
{
    public static TheoryData<string, (string, string)[], (string, string)[], long> Cases => new()
    {
        { "equal fractions", [], [("cpu", "1"), ("memory", "2Gi")], 100 },
        // cpu 3/4, memory 1/4: deviation 0.25.
        { "unbalanced", [("cpu", "2")], [("cpu", "1"), ("memory", "2Gi")], 75 },
        // Plain requests, not the scoring defaults: memory stays 0, cpu 1/4 → deviation 0.125 → 87.5, truncated.
        { "plain requests", [], [("cpu", "1")], 87 },
        // cpu over-committed counts as a full 1: (1 - 0.25) / 2 deviation → 62.5.
        { "fractions capped at 1", [("cpu", "6")], [("cpu", "1"), ("memory", "2Gi")], 62 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_is_one_minus_the_deviation_of_the_fractions(string name, (string, string)[] existing, (string, string)[] requests, long expected)
    {
        var node = existing.Length == 0 ? Objects.NodeInfo("n") : Objects.NodeInfo(Objects.Node("n"), Objects.PodRequesting("existing", existing));
        var pod = Objects.PodRequesting("p", requests);
        var plugin = new NodeResourcesBalancedAllocationPlugin();
        var state = new CycleState();
        Assert.True(plugin.PreScore(state, pod, [node]).IsSuccess);

        var (score, status) = plugin.Score(state, pod, node);

        Assert.True(status.IsSuccess);
        Assert.True(expected == score, $"{name}: {score}");
    }

    [Fact]
    public void Three_resources_use_the_standard_deviation()
    {
        var plugin = new NodeResourcesBalancedAllocationPlugin(new NodeResourcesBalancedAllocationOptions
        {
            Resources = [new("cpu", 1), new("memory", 1), new("example.com/gpu", 1)],
        });
        var node = Objects.NodeInfo("n", ("example.com/gpu", "4"));
        var pod = Objects.PodRequesting("p", ("cpu", "2"), ("memory", "2Gi"), ("example.com/gpu", "4"));

        var (score, _) = plugin.Score(new CycleState(), pod, node);

        // Fractions 0.5, 0.25, 1: mean 7/12, deviation sqrt(((1/12)² + (4/12)² + (5/12)²) / 3) ≈ 0.3118.
        Assert.Equal(68, score);
    }

    [Fact]
    public void Best_effort_pods_are_skipped()
    {
        var plugin = new NodeResourcesBalancedAllocationPlugin();

        Assert.True(plugin.PreScore(new CycleState(), Objects.PodInfo(), []).IsSkip);
        Assert.Equal(0, plugin.Score(new CycleState(), Objects.PodInfo(), Objects.NodeInfo("n")).Score);
    }
}
