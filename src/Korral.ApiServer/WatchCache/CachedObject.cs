namespace Korral.ApiServer.WatchCache;

/// <summary>
/// One object as the watch cache keeps it: its JSON bytes (with metadata.resourceVersion filled in, ready to be written
/// to a response as they are) and the few parsed facts that filtering needs without parsing again.
/// </summary>
public sealed class CachedObject
{
    public required string Key { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required long ResourceVersion { get; init; }

    public required ReadOnlyMemory<byte> Json { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The values of the fields the kind supports in field selectors (metadata.name, spec.nodeName…).</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }
}
