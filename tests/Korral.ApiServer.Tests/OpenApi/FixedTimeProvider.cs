namespace Korral.ApiServer.Tests.OpenApi;

/// <summary>A clock that stays where the test puts it.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
