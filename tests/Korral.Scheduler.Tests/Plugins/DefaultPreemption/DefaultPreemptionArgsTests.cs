using Korral.Scheduler.Plugins.DefaultPreemption;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class DefaultPreemptionArgsTests
{
    [Theory]
    [InlineData(5000, 500)]
    [InlineData(1000, 100)]
    [InlineData(500, 100)]
    [InlineData(50, 50)]
    [InlineData(1, 1)]
    public void Candidates_are_ten_percent_of_the_nodes_but_at_least_100_and_at_most_all(int nodes, int expected) =>
        Assert.Equal(expected, new DefaultPreemptionArgs().NumCandidates(nodes));
}
