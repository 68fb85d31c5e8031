using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeResourcesFit;

namespace Korral.Scheduler.Tests.Plugins.NodeResourcesFit;

public sealed class NodeResourcesFitScoreTests
{
    /// <summary>Nodes of 4 cpu / 8Gi: "empty", and "half" with a pod requesting 2 cpu / 4Gi.</summary>
    private static readonly NodeInfo[] Nodes =
    [
        Objects.NodeInfo("empty"),
        Objects.NodeInfo(Objects.Node("half"), Objects.PodRequesting("existing", ("cpu", "2"), ("memory", "4Gi"))),
    ];

    public static TheoryData<string, NodeResourcesFitOptions, (string, string)[], long, long> Cases => new()
    {
        // 1 cpu / 2Gi: empty node 75% free of each, half node 25%.
        { "least allocated", new(), [("cpu", "1"), ("memory", "2Gi")], 75, 25 },
        // No requests: counted as 100m / 200Mi: (4000-100)*100/4000 = 97, (8192-200)*100/8192 = 97.
        { "least allocated, non-zero defaults", new(), [], 97, 47 },
        { "least allocated, weighted", new() { Resources = [new("cpu", 3), new("memory", 1)] }, [("cpu", "1"), ("memory", "4Gi")], (3 * 75 + 50) / 4, (3 * 25 + 0) / 4 },
        { "least allocated, over-committed is 0", new(), [("cpu", "3"), ("memory", "2Gi")], (25 + 75) / 2, (0 + 25) / 2 },
        { "most allocated", new() { ScoringStrategy = ScoringStrategyType.MostAllocated }, [("cpu", "1"), ("memory", "2Gi")], 25, 75 },
        { "most allocated, capped at 100", new() { ScoringStrategy = ScoringStrategyType.MostAllocated }, [("cpu", "3"), ("memory", "2Gi")], (75 + 25) / 2, (100 + 75) / 2 },
        { "requested to capacity ratio, default shape", new() { ScoringStrategy = ScoringStrategyType.RequestedToCapacityRatio }, [("cpu", "1"), ("memory", "2Gi")], 25, 75 },
        // Shape 0%→10, 50%→0: 25% is 5 of 10 → 50; 75% is past the last point → 0, left out of the average.
        {
            "requested to capacity ratio, spreading shape",
            new() { ScoringStrategy = ScoringStrategyType.RequestedToCapacityRatio, Shape = [new(0, 10), new(50, 0)] },
            [("cpu", "1"), ("memory", "2Gi")], 50, 0
        },
        // An extended resource the pod does not request, and the nodes lack, is left out.
        { "unrequested extended resource", new() { Resources = [new("cpu", 1), new("memory", 1), new("example.com/gpu", 5)] }, [("cpu", "1"), ("memory", "2Gi")], 75, 25 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_follows_the_strategy(string name, NodeResourcesFitOptions options, (string, string)[] requests, long empty, long half)
    {
        var plugin = new NodeResourcesFitPlugin(options);
        var pod = Objects.PodRequesting("p", requests);
        var state = new CycleState();
        Assert.True(plugin.PreScore(state, pod, Nodes).IsSuccess);

        var scores = Objects.ScoreAll(plugin, state, pod, Nodes);

        Assert.True(empty == scores["empty"] && half == scores["half"], $"{name}: empty {scores["empty"]}, half {scores["half"]}");
    }

    [Fact]
    public void Score_without_PreScore_state_computes_the_requests()
    {
        var (score, status) = new NodeResourcesFitPlugin().Score(new CycleState(), Objects.PodRequesting("p", ("cpu", "1"), ("memory", "2Gi")), Nodes[0]);

        Assert.True(status.IsSuccess);
        Assert.Equal(75, score);
    }

    [Fact]
    public void Extended_resources_score_when_requested_and_present()
    {
        var plugin = new NodeResourcesFitPlugin(new NodeResourcesFitOptions { Resources = [new("example.com/gpu", 1)] });
        var node = Objects.NodeInfo("gpu", ("example.com/gpu", "4"));
        var pod = Objects.PodRequesting("p", ("example.com/gpu", "1"));

        var (score, _) = plugin.Score(new CycleState(), pod, node);

        Assert.Equal(75, score);
    }

    public static TheoryData<NodeResourcesFitOptions, string> InvalidOptions => new()
    {
        { new() { Resources = [new("cpu", 0)] }, "scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range [1, 100]" },
        { new() { Resources = [] }, "scoringStrategy.resources: Required value: at least one resource must be specified" },
        { new() { Resources = [new("cpu", 1), new("cpu", 2)] }, "scoringStrategy.resources[1].name: Duplicate value: \"cpu\"" },
        {
            new() { ScoringStrategy = ScoringStrategyType.RequestedToCapacityRatio, Shape = [new(50, 1), new(40, 2)] },
            "scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 40: utilization values must be sorted in increasing order"
        },
        { new() { ScoringStrategy = ScoringStrategyType.RequestedToCapacityRatio, Shape = [new(0, 11)] }, "scoringStrategy.requestedToCapacityRatio.shape[0].score: Invalid value: 11: not in valid range [0, 10]" },
        { new() { IgnoredResourceGroups = ["example.com/x"] }, "ignoredResourceGroups[0]: Invalid value: \"example.com/x\": resource group name can't contain '/'" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused(NodeResourcesFitOptions options, string error)
    {
        Assert.Equal([error], options.Validate());
        Assert.Throws<ArgumentException>(() => new NodeResourcesFitPlugin(options));
    }
}
