using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

public sealed class GoTextTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_000, "1s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(59_000, "59s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(3_725_000, "1h2m5s")]
    public void DurationsReadAsGoPrintsThem(int milliseconds, string text) =>
        Assert.Equal(text, GoText.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("sleep 5", "\"sleep 5\"")]
    [InlineData("echo \"hi\" \\ there", "\"echo \\\"hi\\\" \\\\ there\"")]
    [InlineData("a\nb\tc\u0001", "\"a\\nb\\tc\\x01\"")]
    public void QuotingIsGos(string value, string quoted) => Assert.Equal(quoted, GoText.Quote(value));

    [Theory]
    [InlineData("10.42.0.5", 9000, "10.42.0.5:9000")]
    [InlineData("fd00::5", 80, "[fd00::5]:80")]
    public void HostPortBracketsIpv6(string host, int port, string text) => Assert.Equal(text, GoText.HostPort(host, port));
}
