namespace Korral.Bench.Measurement;

/// <summary>One request of a load run: returns null on success, or what went wrong.</summary>
public delegate Task<string?> Operation(long index, CancellationToken cancellationToken);
