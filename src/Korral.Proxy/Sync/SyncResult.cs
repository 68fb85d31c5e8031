namespace Korral.Proxy.Sync;

/// <summary>What one sync did: full or partial, how much it wrote, and where the time went.</summary>
public sealed record SyncResult(
    bool Full,
    int Services,
    int ServicesRewritten,
    int NatChainsWritten,
    int StaleChainsDeleted,
    int Bytes,
    TimeSpan Generate,
    TimeSpan Apply);
