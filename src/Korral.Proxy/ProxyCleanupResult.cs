namespace Korral.Proxy;

/// <summary>What <see cref="ProxyCleanup"/> removed.</summary>
public sealed record ProxyCleanupResult(int ChainsDeleted, int JumpRulesDeleted, bool GuardBridgeDeleted);
