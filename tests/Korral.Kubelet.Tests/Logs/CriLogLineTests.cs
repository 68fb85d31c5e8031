using System.Text;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Logs;

public sealed class CriLogLineTests
{
    [Theory]
    [InlineData("2026-11-21T19:59:49.496971223Z stdout F tick 0\n", "Stdout", false, "tick 0\n", "2026-11-21T19:59:49.496971223Z")]
    [InlineData("2026-11-21T19:59:49.496971223Z stderr F oops", "Stderr", false, "oops", "2026-11-21T19:59:49.496971223Z")]
    [InlineData("2026-11-21T19:59:49.5Z stdout P first half\n", "Stdout", true, "first half", "2026-11-21T19:59:49.500000000Z")]
    [InlineData("2026-11-21T19:59:49Z stdout F no fraction\n", "Stdout", false, "no fraction\n", "2026-11-21T19:59:49.000000000Z")]
    [InlineData("2026-11-21T21:59:49.000000001+02:00 stdout F offset kept\n", "Stdout", false, "offset kept\n", "2026-11-21T21:59:49.000000001+02:00")]
    [InlineData("2026-11-21T19:59:49.1-05:30 stdout F negative offset\n", "Stdout", false, "negative offset\n", "2026-11-21T19:59:49.100000000-05:30")]
    [InlineData("2026-11-21T19:59:49.123Z stdout F:x:y later tags\n", "Stdout", false, "later tags\n", "2026-11-21T19:59:49.123000000Z")]
    [InlineData("2026-11-21T19:59:49.123Z stdout P:x partial with tags\n", "Stdout", true, "partial with tags", "2026-11-21T19:59:49.123000000Z")]
    [InlineData("2026-11-21T19:59:49.123Z stdout F \n", "Stdout", false, "\n", "2026-11-21T19:59:49.123000000Z")]
    [InlineData("2026-11-21T19:59:49.123Z stdout F  two  spaces \n", "Stdout", false, " two  spaces \n", "2026-11-21T19:59:49.123000000Z")]
    public void Parses_cri_lines(string text, string stream, bool partial, string content, string timestamp)
    {
        Assert.True(CriLogLine.TryParse(Encoding.UTF8.GetBytes(text), out var line));
        Assert.Equal(stream, line.Stream.ToString());
        Assert.Equal(partial, line.IsPartial);
        Assert.Equal(content, Encoding.UTF8.GetString(line.Content));
        Assert.Equal(timestamp, line.TimestampText());
    }

    [Fact]
    public void Timestamp_keeps_the_instant_to_the_tick_and_the_nanoseconds_apart()
    {
        Assert.True(CriLogLine.TryParse("2026-11-21T21:59:49.496971223+02:00 stdout F x\n"u8, out var line));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 19, 59, 49, TimeSpan.Zero).AddTicks(4969712), line.Timestamp.ToUniversalTime());
        Assert.Equal(TimeSpan.FromHours(2), line.Timestamp.Offset);
        Assert.Equal(496971223, line.Nanosecond);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("not a log line\n")]
    [InlineData("2026-11-21T19:59:49.1Z\n")]
    [InlineData("2026-11-21T19:59:49.1Z stdout\n")]
    [InlineData("2026-11-21T19:59:49.1Z stdout F")]
    [InlineData("2026-11-21T19:59:49.1Z console F text\n")]
    [InlineData("2026-11-21 19:59:49.1Z stdout F space instead of T\n")]
    [InlineData("2026-11-21T19:59:49. stdout F empty fraction\n")]
    [InlineData("2026-11-21T19:59:49.1 stdout F no zone\n")]
    [InlineData("2026-13-21T19:59:49.1Z stdout F month 13\n")]
    [InlineData("2026-02-30T19:59:49.1Z stdout F February 30\n")]
    [InlineData("2026-11-21T24:00:00Z stdout F hour 24\n")]
    [InlineData("2026-11-21T19:59:49.1+2:00 stdout F short offset\n")]
    [InlineData("{\"log\":\"docker json\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-21T19:59:49.1Z\"}\n")]
    public void Refuses_what_is_not_a_cri_line(string text)
    {
        Assert.False(CriLogLine.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }
}
