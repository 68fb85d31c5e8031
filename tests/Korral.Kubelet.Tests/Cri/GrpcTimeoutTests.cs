using Korral.Kubelet.Cri;

namespace Korral.Kubelet.Tests.Cri;

public class GrpcTimeoutTests
{
    public static TheoryData<TimeSpan, string> Cases => new()
    {
        { TimeSpan.Zero, "0n" },
        { TimeSpan.FromTicks(1), "100n" },
        { TimeSpan.FromMilliseconds(0.5), "500000n" },
        { TimeSpan.FromMilliseconds(50), "50000000n" },
        { TimeSpan.FromMilliseconds(200), "200000u" },
        { TimeSpan.FromSeconds(1), "1000000u" },
        { TimeSpan.FromMinutes(2), "120000m" },
        { TimeSpan.FromMinutes(10), "600000m" },
        { TimeSpan.FromMicroseconds(100_000_001), "100001m" },
        { TimeSpan.FromDays(2), "172800S" },
        { TimeSpan.FromDays(10_000), "14400000M" },
        { TimeSpan.MaxValue, "99999999H" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FormatsInTheFinestUnitThatFitsEightDigitsRoundingUp(TimeSpan timeout, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(timeout));
    }

    [Fact]
    public void NegativeTimeoutsAreZero()
    {
        Assert.Equal("0n", GrpcTimeout.Format(TimeSpan.FromSeconds(-1)));
    }
}
