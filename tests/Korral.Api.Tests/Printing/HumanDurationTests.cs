using Korral.Api.Printing;

namespace Korral.Api.Tests.Printing;

public class HumanDurationTests
{
    [Theory]
    [InlineData(-2_000, "<invalid>")]
    [InlineData(-1_999, "0s")]
    [InlineData(-1_000, "0s")]
    [InlineData(-500, "0s")]
    [InlineData(0, "0s")]
    [InlineData(999, "0s")]
    [InlineData(59_000, "59s")]
    [InlineData(119_999, "119s")]
    [InlineData(120_000, "2m")]
    [InlineData(123_000, "2m3s")]
    [InlineData(599_000, "9m59s")]
    [InlineData(600_000, "10m")]
    [InlineData(10_799_000, "179m")]
    [InlineData(10_800_000, "3h")]
    [InlineData(12_000_000, "3h20m")]
    [InlineData(28_740_000, "7h59m")]
    [InlineData(28_800_000, "8h")]
    [InlineData(172_799_000, "47h")]
    [InlineData(172_800_000, "2d")]
    [InlineData(183_600_000, "2d3h")]
    [InlineData(691_200_000 - 3_600_000, "7d23h")]
    [InlineData(691_200_000, "8d")]
    public void Formats_like_upstream(long milliseconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(729, "729d")]
    [InlineData(730, "2y")]
    [InlineData(3 * 365 + 45, "3y45d")]
    [InlineData(8 * 365 - 1, "7y364d")]
    [InlineData(8 * 365, "8y")]
    [InlineData(3000, "8y")]
    public void Formats_days_and_years(int days, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromDays(days)));

    [Fact]
    public void Since_without_a_time_is_unknown()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("<unknown>", HumanDuration.Since(null, now));
        Assert.Equal("5m", HumanDuration.Since(now.AddMinutes(-5), now));
    }
}
