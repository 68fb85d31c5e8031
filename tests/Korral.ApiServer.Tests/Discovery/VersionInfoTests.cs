using System.Text.Json;
using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.Tests.Discovery;

public sealed class VersionInfoTests
{
    [Fact]
    public void Reports_kubernetes_1_33_with_korral_build_metadata()
    {
        var response = VersionInfo.Current.ToResponse();
        var body = JsonDocument.Parse(response.Body).RootElement;

        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("1", body.GetProperty("major").GetString());
        Assert.Equal("33", body.GetProperty("minor").GetString());
        Assert.Equal("v1.33.1+korral", body.GetProperty("gitVersion").GetString());
        Assert.Equal("clean", body.GetProperty("gitTreeState").GetString());
        Assert.Matches("^[0-9a-f]{40}$", body.GetProperty("gitCommit").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body.GetProperty("buildDate").GetString());
        Assert.Matches("^(linux|darwin|windows|freebsd)/[a-z0-9]+$", body.GetProperty("platform").GetString());
        Assert.Equal("33", body.GetProperty("emulationMinor").GetString());
    }

    [Fact]
    public void Field_names_and_order_follow_upstream()
    {
        var body = JsonDocument.Parse(new VersionInfo().ToJson()).RootElement;

        Assert.Equal(
            [
                "major", "minor", "emulationMajor", "emulationMinor", "minCompatibilityMajor", "minCompatibilityMinor",
                "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform",
            ],
            body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_build_date_is_a_real_date_of_the_running_build()
    {
        var date = DateTime.Parse(VersionInfo.Current.BuildDate, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(date.Year >= 2025);
    }
}
