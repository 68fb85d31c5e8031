namespace Korral.Streaming.Spdy.Compression;

/// <summary>
/// The SPDY/3 header-compression dictionary (1423 bytes, Adler-32 0xe3c6a7c2): a protocol constant both directions
/// preset, embedded from SpdyDictionary.bin.
/// </summary>
internal static class SpdyDictionary
{
    private static readonly byte[] Data = Load();

    public static ReadOnlySpan<byte> Bytes => Data;

    private static byte[] Load()
    {
        using var resource = typeof(SpdyDictionary).Assembly.GetManifestResourceStream("Korral.Streaming.Spdy.Dictionary")
            ?? throw new InvalidOperationException("The SPDY dictionary resource is missing from the assembly.");
        var data = new byte[resource.Length];
        resource.ReadExactly(data);
        return data;
    }
}
