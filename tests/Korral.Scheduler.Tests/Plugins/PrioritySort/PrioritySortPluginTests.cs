using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.PrioritySort;

namespace Korral.Scheduler.Tests.Plugins.PrioritySort;

public sealed class PrioritySortPluginTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(10, 0, 5, 0, true)]    // higher priority first
    [InlineData(5, 0, 10, 0, false)]
    [InlineData(5, 0, 5, 1, true)]     // same priority: earlier queued first
    [InlineData(5, 1, 5, 0, false)]
    [InlineData(5, 0, 5, 0, false)]    // identical: not less (strict order)
    [InlineData(-1, 0, 0, 9, false)]   // negative priority below the default 0
    public void Orders_by_priority_then_queue_time(int priorityA, int secondsA, int priorityB, int secondsB, bool aFirst)
    {
        var a = new QueuedPodInfo(Objects.PodInfo("a", s => s.Priority = priorityA), T0.AddSeconds(secondsA));
        var b = new QueuedPodInfo(Objects.PodInfo("b", s => s.Priority = priorityB), T0.AddSeconds(secondsB));

        Assert.Equal(aFirst, new PrioritySortPlugin().Less(a, b));
    }

    [Fact]
    public void A_pod_without_priority_counts_as_zero()
    {
        var unset = new QueuedPodInfo(Objects.PodInfo("a"), T0.AddSeconds(1));
        var one = new QueuedPodInfo(Objects.PodInfo("b", s => s.Priority = 1), T0.AddSeconds(2));

        Assert.True(new PrioritySortPlugin().Less(one, unset));
    }
}
