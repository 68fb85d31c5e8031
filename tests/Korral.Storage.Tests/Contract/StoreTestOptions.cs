namespace Korral.Storage.Tests.Contract;

/// <summary>What a contract test needs from the backend it opens.</summary>
/// <param name="WatchBufferSize">Events a watcher may have pending before it is cut off with WatchLaggedException.</param>
public sealed record StoreTestOptions(int WatchBufferSize = 10_000);
