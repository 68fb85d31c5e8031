using System.Runtime.InteropServices;

namespace Korral.Streaming.Spdy.Compression;

/// <summary>
/// The system zlib (libz.so.1, always present on Debian: zlib1g is Priority required). .NET's own deflate cannot preset
/// a dictionary, which SPDY's header compression needs.
/// </summary>
internal static unsafe partial class ZLibNative
{
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDictionary = 2;
    public const int BufferError = -5;
    public const int SyncFlush = 2;
    public const int BestCompression = 9;

    private const string Library = "libz.so.1";

    [LibraryImport(Library, EntryPoint = "zlibVersion")]
    public static partial byte* Version();

    [LibraryImport(Library, EntryPoint = "deflateInit_")]
    public static partial int DeflateInit(ZStream* stream, int level, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "deflateSetDictionary")]
    public static partial int DeflateSetDictionary(ZStream* stream, byte* dictionary, uint length);

    [LibraryImport(Library, EntryPoint = "deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "deflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "inflateInit_")]
    public static partial int InflateInit(ZStream* stream, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflateSetDictionary")]
    public static partial int InflateSetDictionary(ZStream* stream, byte* dictionary, uint length);

    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(ZStream* stream);
}
