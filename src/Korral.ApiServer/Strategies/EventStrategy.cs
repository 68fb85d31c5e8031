using Korral.Api.Resources;

namespace Korral.ApiServer.Strategies;

/// <summary>Events expire an hour after their last write, as upstream's --event-ttl default.</summary>
public sealed class EventStrategy(ResourceInfo resource) : DefaultStrategy(resource)
{
    public override TimeSpan? TimeToLive => TimeSpan.FromHours(1);

    public override bool AllowCreateOnUpdate => true;
}
