using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.DefaultPreemption;
using static Korral.Scheduler.Tests.Plugins.DefaultPreemption.PreemptionObjects;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class CandidatePickerTests
{
    /// <summary>
    /// Candidates as "name:violations:victim,victim…" where a victim is "priority@startMinute" (no "@": never started).
    /// Victims are listed from the most important, as the search produces them.
    /// </summary>
    [Theory]
    [InlineData("fewest budget violations", "a:1:1@0 b:0:5@0", "b")]
    [InlineData("lowest priority of the most important victim", "a:0:5@0,1@0 b:0:4@0,4@0", "b")]
    [InlineData("smallest sum of priorities", "a:0:3@0,3@0 b:0:3@0,1@0", "b")]
    [InlineData("negative priorities do not make more victims cheaper", "a:0:-5@0,-5@0 b:0:-5@0", "b")]
    [InlineData("fewest victims when the shifted sums tie", "a:0:7@0,-2147483648@0 b:0:7@0", "b")]
    [InlineData("latest start of the most important victims", "a:0:1@10 b:0:1@20", "b")]
    [InlineData("the earliest of the most important victims counts", "a:0:2@30,2@5 b:0:2@10,2@40", "b")]
    [InlineData("a victim that never started counts as starting now", "a:0:1@30 b:0:1", "b")]
    [InlineData("a full tie keeps the first", "a:0:1@5 b:0:1@5", "a")]
    public void Picks_as_upstream(string why, string candidates, string expected)
    {
        _ = why;
        var parsed = candidates.Split(' ').Select(Parse).ToList();

        var picked = CandidatePicker.Pick(parsed, new PodImportance(Epoch.AddDays(1)));

        Assert.Equal(expected, picked?.NodeName);
    }

    [Fact]
    public void No_candidates_pick_nothing() => Assert.Null(CandidatePicker.Pick([], new PodImportance(Epoch)));

    private static Candidate Parse(string text)
    {
        var parts = text.Split(':');
        var victims = parts[2].Split(',').Select((v, i) =>
        {
            var at = v.Split('@');
            var priority = int.Parse(at[0], System.Globalization.CultureInfo.InvariantCulture);
            return at.Length == 1
                ? Pod($"{parts[0]}{i}", priority)
                : Pod($"{parts[0]}{i}", priority, configure: StartedAt(int.Parse(at[1], System.Globalization.CultureInfo.InvariantCulture)));
        });
        return new Candidate(parts[0], [.. victims], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
