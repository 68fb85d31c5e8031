using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.DefaultPreemption;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class FitErrorMessageTests
{
    [Fact]
    public void Counts_sort_as_strings_and_absent_nodes_count_with_the_absent_status()
    {
        var statuses = new NodeToStatus { AbsentNodesStatus = Status.Unresolvable("Preemption is not helpful for scheduling") };
        for (var i = 0; i < 10; i++)
        {
            statuses.Set($"x{i}", Status.Unschedulable("Insufficient cpu", "Insufficient memory"));
        }

        statuses.Set("y", Status.Unschedulable("Insufficient memory"));

        var message = FitErrorMessage.Format(13, statuses);

        // As Go's sort.Strings: "10 …" sorts before "11 …" and "2 …".
        Assert.Equal(
            "0/13 nodes are available: 10 Insufficient cpu, 11 Insufficient memory, 2 Preemption is not helpful for scheduling.",
            message);
    }

    [Fact]
    public void Without_reasons_the_message_ends_at_the_colon() =>
        Assert.Equal("0/2 nodes are available:", FitErrorMessage.Format(2, new NodeToStatus()));
}
